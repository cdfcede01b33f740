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

/** Check only the widget (axe walks into its open shadow root). */
export const WIDGET = { include: '#sidedesk-widget' } as const;

/**
 * The serious and critical WCAG violations axe finds on the page as it is now. `include`: check
 * only under this selector (the widget: {@link WIDGET}); axe must then have checked at least one
 * button there, which proves it saw inside the shadow root.
 */
export async function axeViolations(page: Page, opts: { include?: string; impacts?: readonly string[] } = {}): Promise<AxeViolation[]> {
  const impacts = opts.impacts ?? ['serious', 'critical'];
  // Through the debugger, so a page's CSP (the demo site: scripts from the server only) doesn't refuse it.
  await page.evaluate(AXE_SOURCE);
  const { violations, buttonsChecked } = await page.evaluate(async (include: string | null) => {
    type Node = { target: unknown[] };
    type Result = { violations: { id: string; impact: string | null; help: string; nodes: Node[] }[]; passes: { id: string; nodes: Node[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: object): Promise<Result> } }).axe;
    const result = await axe.run(include ? { include: [[include]] } : document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return {
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) })),
      buttonsChecked: result.passes.find((p) => p.id === 'button-name')?.nodes.length ?? 0,
    };
  }, opts.include ?? null);
  if (opts.include && buttonsChecked === 0) throw new Error(`axe checked no button under ${opts.include}: it did not see the content`);
  return violations.filter((v) => v.impact !== null && impacts.includes(v.impact));
}

/** Fails the test with axe's findings, naming the screen (`what`). */
export async function expectAccessible(page: Page, what: string, opts: { include?: string } = {}): Promise<void> {
  const violations = await axeViolations(page, opts);
  if (violations.length) throw new Error(`${what}: axe found ${JSON.stringify(violations, null, 2)}`);
}
