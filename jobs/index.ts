/** Every job Frontera runs, in pipeline order. BullMQ workers and the in-process CLI both read this list. */
import { deliverJob } from './deliver.ts';
import { digestJob } from './digest.ts';
import { pollFeedJob } from './poll-feed.ts';
import { processArticleJob } from './process-article.ts';
import { publishStoryJob } from './publish-story.ts';

export const jobs = [pollFeedJob, processArticleJob, publishStoryJob, deliverJob, digestJob] as const;
export { pollFeedJob, processArticleJob, publishStoryJob, deliverJob, digestJob };
