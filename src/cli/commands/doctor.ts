// `goalpost doctor` (PRODUCT.md F12): probes the model endpoint the way a goal would use it and prints
// one line per check, each with the setting or server flag to change where something does not work.
import { checkConnection, formatReport } from '../../adapters/connectionCheck';
import { EngineSettings } from '../../engine/settings';
import { ExitCode } from '../exitCodes';
import { DoctorFlags, parseFlags } from '../flags';
import type { CliIo } from '../io';

/** Runs `goalpost doctor`; 0 when the endpoint is ready for a goal, 1 otherwise. */
export async function runDoctor(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(DoctorFlags, raw);
  const defaults = EngineSettings.parse({});
  const report = await checkConnection({
    baseUrl: flags.baseUrl,
    provider: flags.provider,
    apiVersion: flags.apiVersion,
    model: flags.model ?? defaults.model,
    env: io.env,
    idleTimeoutMs: (flags.requestIdleTimeout ?? defaults.requestIdleTimeoutSeconds) * 1000,
  });
  if (flags.json) io.out.write(`${JSON.stringify(report)}\n`);
  else io.out.write(`${formatReport(report).join('\n')}\n`);
  return report.ok ? ExitCode.achieved : ExitCode.error;
}
