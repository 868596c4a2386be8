-- The console (frontera demo) subscribes like a chat channel, so its alerts go through publish-story
-- and deliver like Slack's and Discord's and are recorded the same way.
alter table chat_subscriptions drop constraint if exists chat_subscriptions_platform_check;
alter table chat_subscriptions add constraint chat_subscriptions_platform_check
  check (platform in ('slack', 'discord', 'console'));
