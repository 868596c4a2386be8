/** Every job Frontera runs, in pipeline order. BullMQ workers and the in-process CLI both read this list. */
import { pollFeedJob } from './poll-feed.ts';
import { processArticleJob } from './process-article.ts';

export const jobs = [pollFeedJob, processArticleJob] as const;
export { pollFeedJob, processArticleJob };
