// Entry of an extraction worker thread (see extractor.ts): a page's bytes in, one ExtractedArticle (or null) out.
import { serveThreadTasks } from '../../internal/thread-pool.ts';
import { type ExtractTask, extractPage } from './extractor.ts';

await serveThreadTasks((task: ExtractTask) => extractPage(task.page, task.options));
