/**
 * A loader that runs once and whose promise every caller shares (a page's code asked for by a preload and
 * by the visit). A failure is forgotten, so the next call tries again instead of repeating the failure.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
