/**
 * A page's longest main-thread task (Long Tasks API), as the page's check and its benchmark
 * read it: recorded from navigation on, read, reset, and kept clear of a check's own work.
 */
import type { Page } from "playwright-core";

type Longest = { longestTask: number; longTasks: PerformanceObserver };

/** From the next navigation on, `page` records the longest task of its main thread. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = globalThis as unknown as Longest;
    w.longestTask = 0;
    w.longTasks = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longestTask = Math.max(w.longestTask, e.duration);
    });
    w.longTasks.observe({ type: "longtask", buffered: true });
  });
}

/** The longest task so far, in ms; with `reset`, a new record starts after it. */
export function longestTask(page: Page, { reset = false } = {}): Promise<number> {
  return page.evaluate((reset) => {
    const w = globalThis as unknown as Longest;
    // Entries of tasks that ended are queued for the observer's next callback: take them now.
    for (const e of w.longTasks.takeRecords()) w.longestTask = Math.max(w.longestTask, e.duration);
    const longest = w.longestTask;
    if (reset) w.longestTask = 0;
    return longest;
  }, reset);
}

/**
 * Runs `work`, a check's own work in the page (not the page's), and puts the record back as it
 * was before, so that work's tasks do not count against the page.
 */
export async function uncounted<T>(page: Page, work: () => Promise<T>): Promise<T> {
  const before = await longestTask(page);
  const result = await work();
  await longestTask(page); // takes the queued entries of the work's tasks into the record
  await page.evaluate((l) => ((globalThis as unknown as Longest).longestTask = l), before);
  return result;
}
