/** Icon path data (16 × 16 view box, stroked) used in more than one place. */

/** Two people: the Team tab and internal chats (W3). */
export const TEAM_ICON_PATH =
  'M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM1.5 13.5c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M11 2.8a2.3 2.3 0 0 1 0 4.4M12.5 9.7c1.3.5 2 1.7 2 3.3';
