using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Authorities.Referrals;

/// <summary>
/// Every <see cref="ReferralOptions.PollSeconds"/>: drafts referrals for escalations the configured rules sent (the rule path),
/// then delivers what is due. Time from the injected <see cref="TimeProvider"/>; a failing round is logged and repeated.
/// </summary>
public sealed class ReferralWorker(
    ReferralService referrals, ReferralDelivery delivery, ReferralOptions options, Pipeline.PipelineOptions pipeline, TimeProvider clock, ILogger<ReferralWorker> log) : BackgroundService
{
    // The lease owner column holds 100 characters; a long host name is cut, the process id and the random part stay.
    private readonly string _owner = $"{Guid.NewGuid():N}:{Environment.ProcessId}:{Environment.MachineName}" is var o && o.Length > 100 ? o[..100] : o;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!pipeline.WorkersEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var drafted = await referrals.DraftFromRulesAsync(stoppingToken);
                if (drafted > 0) log.LogInformation("Drafted {Count} referral(s) for threat-to-life escalations", drafted);
                await delivery.RunOnceAsync(_owner, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                log.LogError(ex, "Referral round failed");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
