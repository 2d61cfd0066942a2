using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>
/// <c>Bulwark:Transparency:RollupJobEnabled</c>: the switch that lets loadgen measure the rollup job's cost to the pipeline
/// (docs/benchmarks.md). Off, the job ends at once and folds nothing; on, it folds every ended day.
/// </summary>
public sealed class RollupJobSwitchTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Switched_off_the_job_folds_nothing_and_switched_on_it_folds_every_ended_day(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, KnownHistory.Settings);
        await new KnownHistory(core).WriteQuarterAsync();
        var rollups = core.Get<TransparencyRollups>();
        var (start, end) = (new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30));
        TransparencyRollupWorker Worker(bool on) =>
            new(rollups, new TransparencyOptions { RollupJobEnabled = on }, core.Get<TimeProvider>(), NullLogger<TransparencyRollupWorker>.Instance);

        var off = Worker(false);
        await off.StartAsync(default);
        await off.ExecuteTask!; // ends by itself
        Assert.Equal(91, (await rollups.MissingDaysAsync(start, end, default)).Count);

        var on = Worker(true);
        await on.StartAsync(default);
        Assert.True(await Eventually.UntilAsync(async () => (await rollups.MissingDaysAsync(start, end, default)).Count == 0));
        await on.StopAsync(default);
    }
}
