/**
 * The published warm-up schedules as plans (research/peers.md §6.2 and §8): SendGrid's hourly
 * caps by warm-up age, SparkPost's 30 daily stages, Amazon SES's 45 days to 50,000 a day. Each
 * table is copied from its source; where a source publishes no daily figures (SES), the ladder
 * is interpolated and says so.
 *
 * All three presets share the same per-provider adjustments (`CAUTIOUS_PROVIDERS`): Gmail and
 * Microsoft get less than the plan, Yahoo/AOL and Outlook get SparkPost's first-week caps, and
 * the EU ISPs get the plan as published, since none of them publishes a warm-up cap.
 */
import type { ProviderLadder, WarmupPlan } from './plan.ts';

const SENDGRID_SOURCE =
  'twilio.com/docs/sendgrid/ui/sending-email/warming-up-an-ip-address; table in sendgrid/docs@546d19d:source/API_Reference/Web_API_v3/IP_Management/ip_warmup_schedule.md (research/peers.md §6.2, §8)';
const SPARKPOST_SOURCE =
  'SparkPost/support-docs@07da0e5:articles/user-guide/automated-ip-warmup.md, "Stage-Based Progression Schedule" (research/peers.md §6.2, §8)';
const SPARKPOST_OVERVIEW =
  'SparkPost "IP Warm-up Overview" (support.sparkpost.com article 1972209; research/peers.md §6.2)';
const SES_SOURCE =
  'aws.amazon.com/about-aws/whats-new/2017/03/amazon-ses-can-now-automatically-warm-up-your-dedicated-ip-addresses; docs.aws.amazon.com/ses/latest/APIReference-V2/API_DedicatedIp.html (research/peers.md §6.2, §8)';

/**
 * SendGrid's hourly email limit by warm-up age 0–41 (age 0 is day 1). Ages 0–30 and 41 match
 * research/peers.md §8; ages 31–40 are read from the same table in sendgrid/docs. The one kink:
 * age 12 (day 13) is 1,000, then 1,587, where ×1.40 would give 1,134.
 */
export const SENDGRID_HOURLY_BY_AGE: readonly number[] = [
  20, 28, 39, 55, 77, 108, 151, 211, 295, 413, 579, 810, 1_000, 1_587, 2_222, 3_111, 4_356, 6_098, 8_583, 11_953,
  16_734, 23_427, 32_798, 45_917, 64_284, 89_998, 125_997, 176_395, 246_953, 345_735, 484_029, 677_640, 948_696,
  1_328_175, 1_859_444, 2_603_222, 3_644_511, 5_102_316, 7_143_242, 10_000_539, 14_000_754, 19_601_056,
];

/**
 * SparkPost's stage targets per day, stages 1–29; stage 30 is "DONE". The source prints stage 28
 * as "7,50,000"; 7,500,000 fits the progression (research/peers.md §8 note 1).
 */
export const SPARKPOST_DAILY_BY_STAGE: readonly number[] = [
  200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 40_000, 50_000, 75_000, 100_000, 150_000, 200_000, 250_000, 325_000,
  400_000, 500_000, 600_000, 750_000, 1_000_000, 1_250_000, 1_750_000, 2_000_000, 3_000_000, 4_250_000, 5_000_000,
  6_000_000, 7_500_000, 10_000_000,
];

/** SES: "increasing gradually over 45 days" to 50,000 a day per IP (SES_SOURCE). */
export const SES_DAYS = 45;
export const SES_TARGET_PER_DAY = 50_000;
/**
 * @assumption: SES publishes no day-1 figure; 200 is SparkPost's stage 1, so the three presets
 * start comparably.
 */
export const SES_FIRST_DAY_PER_DAY = 200;

/**
 * SES's daily values are not published: the ladder is geometric from `first` on day 1 to
 * `target` on day `days` (ratio (target/first)^(1/(days−1)) ≈ 1.134 for the defaults), rounded
 * to whole messages, with the last day exactly the target.
 */
export function geometricLadder(first: number, target: number, days: number): number[] {
  const ratio = (target / first) ** (1 / (days - 1));
  return Array.from({ length: days }, (_, index) => (index === days - 1 ? target : Math.round(first * ratio ** index)));
}

/**
 * The per-provider adjustments every preset carries. Google and Microsoft publish no numbers but
 * warn most about volume on new IPs; Yahoo/AOL and Outlook have SparkPost's first-week caps;
 * providers not listed (the EU ISPs: Orange, SFR, Free, La Poste, GMX/Web.de, Libero) get the
 * plan's ladder: @assumption, none of them publishes a warm-up cap (facts/isp-behaviors.md §4).
 * T-Online is the exception a ladder cannot fix: it refuses IPs of unknown reputation outright
 * (`NOWL`) until the sender asks for a reset (facts §4 T-Online).
 */
export const CAUTIOUS_PROVIDERS: Readonly<Record<string, ProviderLadder>> = {
  gmail: {
    multiplier: 0.5,
    citation:
      '@assumption: half the plan. Google publishes no new-IP numbers; it asks for "a low sending volume to engaged users" and warns that "doubling volumes suddenly could result in rate limiting or reputation drops" (facts/isp-behaviors.md §4 Gmail, G-GUIDE)',
  },
  outlook: {
    multiplier: 0.5,
    firstWeekMaxPerDay: 20_000,
    citation: `first week ≤ 20,000/day: ${SPARKPOST_OVERVIEW} ("Outlook 20 k/day in week one"); ×0.5 @assumption: new IPs "more likely to experience deliverability issues" and 4.7.650 deferrals appear at 500–3,000/day (facts/isp-behaviors.md §4 Outlook, MS-TRB)`,
  },
  yahoo: {
    firstWeekMaxPerDay: 5_000,
    citation: `first week ≤ 5,000/day: ${SPARKPOST_OVERVIEW} ("AOL 5 k/day in week one"; AOL runs on Yahoo's platform, facts/isp-behaviors.md §4 Yahoo/AOL)`,
  },
};

/**
 * SendGrid: the hourly cap ×24 per day, the most a sender spreading its traffic evenly over 24 h
 * can send (research/peers.md §8); the allowance counts per hour, as SendGrid's cap does.
 */
export const sendgrid: WarmupPlan = {
  name: 'sendgrid',
  description:
    'SendGrid automated warm-up: an hourly cap by warm-up age (ages 0–41), ×24 per day; the cap is removed after age 41',
  ladder: SENDGRID_HOURLY_BY_AGE.map((perHour) => perHour * 24),
  citation: SENDGRID_SOURCE,
  providers: CAUTIOUS_PROVIDERS,
  allowancePeriod: 'hour',
};

/** SparkPost: 29 daily stage targets, then done; advance when > 90 % of the stage was delivered on its day. */
export const sparkpost: WarmupPlan = {
  name: 'sparkpost',
  description: 'SparkPost automated IP warm-up: 29 daily stage targets from 200 to 10,000,000, stage 30 = done',
  ladder: SPARKPOST_DAILY_BY_STAGE,
  citation: SPARKPOST_SOURCE,
  providers: CAUTIOUS_PROVIDERS,
};

/** SES standard dedicated IPs: 45 days to 50,000/day; daily values interpolated geometrically (not published). */
export const ses: WarmupPlan = {
  name: 'ses',
  description:
    'Amazon SES standard dedicated IP warm-up: 45 days to 50,000/day per IP; the days in between are not published and are interpolated geometrically from 200 on day 1',
  ladder: geometricLadder(SES_FIRST_DAY_PER_DAY, SES_TARGET_PER_DAY, SES_DAYS),
  citation: `${SES_SOURCE}; daily values interpolated geometrically from an assumed 200 on day 1 (@assumption)`,
  providers: CAUTIOUS_PROVIDERS,
};

export const WARMUP_PRESETS: Readonly<Record<'sendgrid' | 'sparkpost' | 'ses', WarmupPlan>> = {
  sendgrid,
  sparkpost,
  ses,
};
