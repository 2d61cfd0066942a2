using System.Text;
using Bulwark.Cli.Commands;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Pipeline;

/// <summary>The stage histogram on <c>/metrics</c> covers every step an item goes through, and loadgen's summary reads it.</summary>
/// <remarks>
/// Runs alone: every test host's meter is named "Bulwark", and OpenTelemetry .NET stops exporting all same-named instruments
/// when any one such meter is disposed (open-telemetry/opentelemetry-dotnet#6412), so another test's host shutting down in
/// parallel emptied this host's <c>/metrics</c> (seen in a fresh-clone run). One server per process, as deployed, is unaffected.
/// </remarks>
[Collection(Reliability.SerialCollection.Name)]
public class StageTimingTests
{
    [Fact]
    public async Task Metrics_time_every_stage_the_decider_the_preparations_and_the_commit_for_each_item()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var anonymous = host.Client(null);
        var before = StageSummary.Parse(await anonymous.GetStringAsync("/metrics"));
        const int items = 6;
        var events = string.Join(",", Enumerable.Range(0, items).Select(i =>
            $$"""{"id":"m-{{i}}","kind":"text","text":"a holiday video","account":{{(i == 0 ? "null" : $$"""{"id":"acct-{{i % 3}}"}""")}}}"""));
        using (var response = await host.Admin.PostAsync("/api/v1/content/batch", new StringContent($$"""{"events":[{{events}}]}""", Encoding.UTF8, "application/json")))
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        for (var i = 0; i < items; i++) await host.WaitForStatusAsync($"m-{i}");

        // The exporter may answer from its scrape cache for a moment: wait until the commit of the last item shows.
        var expected = host.Services.GetServices<ISignalExtractor>().Select(e => e.Name)
            .Concat(["load", "prepare:decider", "prepare:ban-evasion", "decider", "commit"]).ToList();
        // Waited for as long as the pipeline's own waits (Eventually.Deadline), not 30 s: under a loaded suite the first
        // scrapes can stay behind for longer than that.
        StageSummary since = StageSummary.Parse("");
        await Eventually.UntilAsync(async () =>
        {
            since = StageSummary.Parse(await anonymous.GetStringAsync("/metrics")).Since(before);
            return expected.All(s => since.Stages.GetValueOrDefault(s).Count >= items);
        });
        foreach (var stage in expected)
        {
            Assert.True(since.Stages.TryGetValue(stage, out var s), $"/metrics has no stage '{stage}'; it has {string.Join(", ", since.Stages.Keys)}");
            Assert.True(s.Count >= items, $"stage {stage} recorded {s.Count} items, expected at least {items}");
            Assert.True(s.SumMs >= 0, $"stage {stage} recorded a negative time");
        }
        // A stage with nothing to do for an item (ban evasion when the batch has no linked identifiers) can round to 0 ms in
        // the exposition; the steps that always work on every item cannot.
        foreach (var stage in new[] { "load", "decider", "commit" })
            Assert.True(since.Stages[stage].SumMs > 0, $"stage {stage} recorded no time");
        var table = since.Render();
        Assert.Contains("commit", table);
        Assert.Contains("ms/item", table);
    }

    [Fact]
    public void The_summary_reads_sums_and_counts_per_stage_whatever_the_label_order_and_subtracts_the_earlier_scrape()
    {
        const string first = """
            # TYPE bulwark_pipeline_stage_duration_milliseconds histogram
            bulwark_pipeline_stage_duration_milliseconds_bucket{otel_scope_name="Bulwark",stage="decider",le="0.1"} 3 1700000000000
            bulwark_pipeline_stage_duration_milliseconds_sum{otel_scope_name="Bulwark",stage="decider"} 1.5 1700000000000
            bulwark_pipeline_stage_duration_milliseconds_count{otel_scope_name="Bulwark",stage="decider"} 3 1700000000000
            bulwark_pipeline_stage_duration_milliseconds_sum{stage="prepare:ban-evasion",otel_scope_name="Bulwark"} 0.25
            bulwark_pipeline_stage_duration_milliseconds_count{stage="prepare:ban-evasion",otel_scope_name="Bulwark"} 5
            bulwark_ingest_accepted_total{otel_scope_name="Bulwark"} 9
            """;
        const string second = """
            bulwark_pipeline_stage_duration_milliseconds_sum{otel_scope_name="Bulwark",stage="decider"} 4.5 1700000001000
            bulwark_pipeline_stage_duration_milliseconds_count{otel_scope_name="Bulwark",stage="decider"} 9 1700000001000
            bulwark_pipeline_stage_duration_milliseconds_sum{stage="prepare:ban-evasion",otel_scope_name="Bulwark"} 0.25
            bulwark_pipeline_stage_duration_milliseconds_count{stage="prepare:ban-evasion",otel_scope_name="Bulwark"} 5
            bulwark_pipeline_stage_duration_milliseconds_sum{otel_scope_name="Bulwark",stage="commit"} 12
            bulwark_pipeline_stage_duration_milliseconds_count{otel_scope_name="Bulwark",stage="commit"} 6
            """;
        var a = StageSummary.Parse(first);
        Assert.Equal((3.0, 1.5), a.Stages["decider"]);
        Assert.Equal((5.0, 0.25), a.Stages["prepare:ban-evasion"]);
        Assert.Equal(2, a.Stages.Count);
        var delta = StageSummary.Parse(second).Since(a);
        Assert.Equal((6.0, 3.0), delta.Stages["decider"]);
        Assert.Equal((6.0, 12.0), delta.Stages["commit"]);
        Assert.Equal((0.0, 0.0), delta.Stages["prepare:ban-evasion"]);
        var lines = delta.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Slowest first; a stage with no items in the interval is left out. Commit: 12 ms of 15 in all.
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("commit", lines[1]);
        Assert.Contains("2.0000", lines[1]);
        Assert.Contains("80.0 %", lines[1]);
        Assert.StartsWith("decider", lines[2]);
    }
}
