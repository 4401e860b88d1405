import type { UseCaseContext } from './context.js';
import { turnDutyDays } from './duty-handover.use-case.js';
import { remindHandoverMeetings } from './handover-meeting.use-case.js';

/** Work the scheduler's tick does for the rota and the handover meeting; one failing never stops the other. */
export const rotaTick = async (args: { ctx: UseCaseContext }): Promise<void> => {
  const failed = (where: string) => (error: unknown) => args.ctx.logger.error({ where, err: (error as Error)?.name }, 'rota tick failed');
  await turnDutyDays(args).catch(failed('duty day turn'));
  await remindHandoverMeetings(args).catch(failed('handover meeting reminders'));
};
