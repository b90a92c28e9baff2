/**
 * The expanded plan as text, day by day: what `mailbench plan` prints before a run, so a
 * consultant can check the ramp and the incidents (and the seed that will replay it) first.
 */
import { DAY_MS, DEFAULT_EPOCH_MS, formatDuration } from '../kernel/index.ts';
import type { PlannedIncident, PlannedSend, ScenarioPlan } from './plan.ts';
import { plannedVolume } from './plan.ts';
import type { ResolvedScenario } from './scenario.ts';

const count = (value: number): string => Math.round(value).toLocaleString('en-US');

export function renderPlan(scenario: ResolvedScenario, plan: ScenarioPlan, seed: string): string {
  const listSize = scenario.population.recipients;
  const lines = [
    `scenario ${scenario.name} · seed ${seed} · scale ${scenario.scale} · ${count(listSize)} recipients on the list`,
    scenario.story === '' ? '' : `\n${scenario.story}\n`,
    `${'day'.padStart(4)}  ${'date'.padEnd(10)}  ${'volume'.padStart(11)}  what happens`,
  ];
  const lastMs = Math.max(
    0,
    ...plan.sends.map((send) => send.atMs + send.overMs),
    ...plan.incidents.map((incident) => incident.atMs),
  );
  for (let day = 0; day * DAY_MS <= lastMs; day++) {
    const inDay = (atMs: number): boolean => atMs >= day * DAY_MS && atMs < (day + 1) * DAY_MS;
    const sends = plan.sends.filter((send) => inDay(send.atMs));
    const incidents = plan.incidents.filter((incident) => inDay(incident.atMs));
    if (sends.length === 0 && incidents.length === 0) continue;
    const volume = sends.reduce((total, send) => total + (send.volume ?? listSize * send.multiplier), 0);
    const what = [...sends.map((send) => describeSend(send, listSize)), ...incidents.map(describeIncident)];
    const date = new Date(DEFAULT_EPOCH_MS + day * DAY_MS).toISOString().slice(0, 10);
    lines.push(
      `${String(day + 1).padStart(4)}  ${date}  ${(sends.length === 0 ? '' : count(volume)).padStart(11)}  ${what.join('; ')}`,
    );
  }
  lines.push(
    '',
    `planned: ${count(plannedVolume(plan, listSize))} messages in ${plan.sends.length} sends; ${plan.incidents.length} incidents`,
  );
  if (scenario.sender.warmup !== null)
    lines.push(
      `warm-up: ${scenario.sender.warmup.plan} plan on ${scenario.sender.warmup.sources.join(', ')} from stage ${scenario.sender.warmup.startStage} (the engine caps each IP per provider and day)`,
    );
  if (scenario.expect.length > 0) lines.push(`expectations: ${scenario.expect.length} (a run that misses one exits 1)`);
  return lines.filter((line, index) => line !== '' || index > 1).join('\n');
}

function describeSend(send: PlannedSend, listSize: number): string {
  const segment = send.segment === 'all' ? '' : `${send.segment} readers, `;
  const spread = send.overMs === 0 ? 'at once' : `over ${formatDuration(send.overMs)}`;
  const spike = send.multiplier === 1 ? '' : ` ×${send.multiplier} spike`;
  const held = send.heldFromMs === undefined ? '' : ` (held by a pause from ${formatDuration(send.heldFromMs)})`;
  const whole =
    send.volume === null
      ? `, the whole ${send.segment === 'all' ? `list (${count(listSize * send.multiplier)})` : 'segment'}`
      : '';
  return `${send.campaign}${send.tenant === null ? '' : ` [${send.tenant}]`} (${segment}${spread}${whole})${spike}${held}`;
}

function describeIncident(incident: PlannedIncident): string {
  switch (incident.kind) {
    case 'trap-injection':
      return `${count(incident.count)} ${incident.trapKind} traps join the list`;
    case 'policy-change':
      return `${incident.receiver} changes policy: ${JSON.stringify(incident.change)}`;
    case 'outage':
      return `${incident.receiver} down for ${formatDuration(incident.forMs)} (${incident.mode})`;
    case 'pause':
      return `the sender pauses for ${formatDuration(incident.forMs)}`;
  }
}
