// Entry of a page worker thread (see page-workers.ts): extracts fetched pages and renders article pages.
import { serveThreadTasks } from '../../internal/thread-pool.ts';
import { runPageTask } from './page-workers.ts';

await serveThreadTasks(runPageTask);
