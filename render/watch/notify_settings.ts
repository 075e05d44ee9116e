/**
 * What the live view's notifications may be set to (config `[notify]`, `--no-notify`): small enough for
 * every command's settings to load without the notifier itself.
 *
 * @module
 */

/** How the live view notifies: `on` bell, desktop notification and title; `quiet` no bell; `bell` bell and title; `off` nothing. */
export const NOTIFY_MODES = ["on", "quiet", "bell", "off"] as const;
/** A {@linkcode NOTIFY_MODES} value. */
export type NotifyMode = (typeof NOTIFY_MODES)[number];

/** The changes that can notify. */
export const NOTIFY_ON = ["waiting", "limited", "error", "alert"] as const;
/** A {@linkcode NOTIFY_ON} value. */
export type NotifyOn = (typeof NOTIFY_ON)[number];

/** What notifies and how (config `[notify]`, `--no-notify`). */
export interface NotifySettings {
  mode: NotifyMode;
  on: readonly NotifyOn[];
}

/** Notify on everything, with the bell. */
export const DEFAULT_NOTIFY: NotifySettings = { mode: "on", on: NOTIFY_ON };
