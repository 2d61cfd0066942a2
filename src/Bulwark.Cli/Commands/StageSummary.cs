using System.Globalization;
using System.Text;

namespace Bulwark.Cli.Commands;

/// <summary>
/// Where an item's time goes, from the server's <c>bulwark_pipeline_stage_duration</c> histogram on <c>/metrics</c>: the
/// difference between two scrapes (before a run and after it drained) gives, per stage, the items it saw and the time they
/// spent in it. Stages run side by side (several items at once, and two claim loops), so the times are wall time summed
/// over items, not a share of the run's elapsed time.
/// </summary>
public sealed class StageSummary
{
    private const string Metric = "bulwark_pipeline_stage_duration";

    /// <summary>Per stage: items recorded and milliseconds summed.</summary>
    public IReadOnlyDictionary<string, (double Count, double SumMs)> Stages { get; }

    private StageSummary(IReadOnlyDictionary<string, (double, double)> stages) => Stages = stages;

    /// <summary>Reads the stage histogram's <c>_sum</c> and <c>_count</c> series from a Prometheus text exposition.</summary>
    public static StageSummary Parse(string exposition)
    {
        var stages = new Dictionary<string, (double Count, double SumMs)>(StringComparer.Ordinal);
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith(Metric, StringComparison.Ordinal)) continue;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            if (brace < 0 || close < brace) continue;
            var name = line[..brace];
            var isSum = name.EndsWith("_sum", StringComparison.Ordinal);
            if (!isSum && !name.EndsWith("_count", StringComparison.Ordinal)) continue;
            var stage = Label(line[(brace + 1)..close], "stage");
            var value = line[(close + 1)..].Trim().Split(' ')[0];
            if (stage is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) continue;
            var (count, sum) = stages.GetValueOrDefault(stage);
            stages[stage] = isSum ? (count, sum + v) : (count + v, sum);
        }
        return new StageSummary(stages);
    }

    /// <summary>What happened between <paramref name="before"/> and this scrape.</summary>
    public StageSummary Since(StageSummary before) => new(Stages.ToDictionary(kv => kv.Key, kv =>
    {
        var (count, sum) = before.Stages.GetValueOrDefault(kv.Key);
        return (kv.Value.Count - count, kv.Value.SumMs - sum);
    }, StringComparer.Ordinal));

    /// <summary>A table, slowest stage first: items, mean ms per item, and the stage's share of all stage time.</summary>
    public string Render()
    {
        var rows = Stages.Where(kv => kv.Value.Count > 0).OrderByDescending(kv => kv.Value.SumMs).ToList();
        if (rows.Count == 0) return "stage times: none recorded (is /metrics reachable, and did any item run?)\n";
        var total = rows.Sum(kv => kv.Value.SumMs);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"stage",-28} {"items",9} {"ms/item",10} {"share",7}");
        foreach (var (stage, (count, sum)) in rows)
            text.AppendLine(CultureInfo.InvariantCulture, $"{stage,-28} {count,9:F0} {sum / count,10:F4} {sum / total,7:P1}");
        return text.ToString();
    }

    private static string? Label(string labels, string name)
    {
        var key = name + "=\"";
        var at = labels.StartsWith(key, StringComparison.Ordinal) ? 0 : labels.IndexOf("," + key, StringComparison.Ordinal) is var i and >= 0 ? i + 1 : -1;
        if (at < 0) return null;
        var start = at + key.Length;
        var end = labels.IndexOf('"', start);
        return end < 0 ? null : labels[start..end];
    }
}
