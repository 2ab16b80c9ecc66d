import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { isoDay } from './format';

/** Today in China time, YYYY-MM-DD. */
export const today = (): string => isoDay(new Date());

/**
 * "Due within N working days" as the item list's calendar-day window: the work calendar (statutory
 * holidays, 调休) says which day is the Nth working day from today.
 */
export function useWorkingDayWindow(days: number) {
  return useQuery({
    queryKey: ['working-day-window', days, today()],
    queryFn: async () => {
      const from = today();
      const r = await unwrap(api.GET('/api/calendar/deadline', { params: { query: { kind: 'working_days', from, days } } }));
      const end = r.deadline as string;
      return Math.round((Date.parse(end) - Date.parse(from)) / 86_400_000);
    },
    staleTime: 3_600_000,
  });
}
