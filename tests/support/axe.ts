/**
 * Accessibility checks in the e2e tests (Q6): axe-core run inside the page puppeteer shows. The
 * script is evaluated through the DevTools protocol, which a page's CSP doesn't apply to, so the
 * server's script-free pages and the extension's pages are checked as users get them.
 */
import axe from 'axe-core';
import type { Page } from 'puppeteer-core';

/** axe-core's whole script, as the page runs it. */
const AXE_SOURCE = axe.source;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** The serious and critical WCAG violations axe finds on the page as it is now (the rest are logged by the caller if wanted). */
export async function axeViolations(page: Page, impacts: readonly string[] = ['serious', 'critical']): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
  return found.filter((v) => v.impact !== null && impacts.includes(v.impact));
}
