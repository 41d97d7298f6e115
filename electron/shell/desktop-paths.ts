/**
 * The desktop app's data folder: KEYRACK_DATA when set (as for the CLI, so both can be pointed at the same
 * test or backup folder), otherwise Electron's userData, which electron/paths.ts's defaultDataDir computes
 * without Electron for the CLI. main sets the app name to APP_FOLDER_NAME first so the two agree.
 */
export function desktopDataDir(userDataPath: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.KEYRACK_DATA || userDataPath;
}
