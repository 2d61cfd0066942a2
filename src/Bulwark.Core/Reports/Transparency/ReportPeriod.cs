using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Bulwark.Core.Storage;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>An inclusive period of whole UTC days, as the DSA template writes it: <c>YYYY-MM-DD/YYYY-MM-DD</c>.</summary>
public readonly record struct ReportPeriod(DateOnly Start, DateOnly End)
{
    public int Days => End.DayNumber - Start.DayNumber + 1;
    public override string ToString() => $"{Start:yyyy-MM-dd}/{End:yyyy-MM-dd}";
    public DateTimeOffset From => new(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    public DateTimeOffset Until => new(End.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Parses <c>START/END</c>; the error names what is wrong (format, inverted, too long).</summary>
    public static (ReportPeriod? Period, string? Error) Parse(string? text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2) return (null, $"period '{text}' must be START/END, e.g. 2026-01-01/2026-03-31");
        return Of(parts[0], parts[1]);
    }

    public static (ReportPeriod? Period, string? Error) Of(string? start, string? end)
    {
        if (!DateOnly.TryParseExact(start?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var s))
            return (null, $"start date '{start}' is not a date (YYYY-MM-DD)");
        if (!DateOnly.TryParseExact(end?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var e))
            return (null, $"end date '{end}' is not a date (YYYY-MM-DD)");
        if (e < s) return (null, $"the period is inverted: it ends ({e:yyyy-MM-dd}) before it starts ({s:yyyy-MM-dd})");
        if (e.DayNumber - s.DayNumber >= 366 * 2) return (null, "a report covers at most two years");
        return (new ReportPeriod(s, e), null);
    }

    public static ReportPeriod Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
}

/// <summary>Why a report could not be produced; the API maps it to a problem, the CLI prints it and exits 1.</summary>
public sealed class ReportRefusedException(string kind, string message) : Exception(message)
{
    public const string Invalid = "invalid";
    public const string Incomplete = "incomplete";
    public const string NotFound = "not-found";
    public const string Conflict = "conflict";
    public string Kind { get; } = kind;
}

/// <summary>A period's facts summed from the day rollups, with lookups every report uses.</summary>
public sealed class PeriodFacts
{
    public required ReportPeriod Period { get; init; }
    public required IReadOnlyList<RollupFactRow> Facts { get; init; }
    public required IReadOnlyList<RollupDurationRow> Durations { get; init; }

    public long Sum(string metric, Func<RollupFactRow, bool>? where = null) =>
        Facts.Where(f => f.Metric == metric && (where is null || where(f))).Sum(f => f.Value);

    /// <summary>The median of a duration histogram in hours (tenths resolution), or null when it has no entries.</summary>
    public double? MedianHours(string kind, Func<string, bool>? policy = null)
    {
        var bins = Durations.Where(d => d.Kind == kind && (policy is null || policy(d.Policy))).GroupBy(d => d.Tenths)
            .Select(g => (Tenths: g.Key, Count: g.Sum(x => x.Count))).OrderBy(x => x.Tenths).ToList();
        var n = bins.Sum(b => b.Count);
        if (n == 0) return null;
        double At(long rank) { long seen = 0; foreach (var b in bins) { seen += b.Count; if (seen >= rank) return b.Tenths / 10.0; } return bins[^1].Tenths / 10.0; }
        return n % 2 == 1 ? At((n + 1) / 2) : (At(n / 2) + At(n / 2 + 1)) / 2;
    }

    /// <summary>Sums the period's rollups; refuses when a day of the period has none (naming the days).</summary>
    public static async Task<PeriodFacts> LoadAsync(IBulwarkDbFactory dbs, TransparencyRollups rollups, ReportPeriod period, CancellationToken ct)
    {
        var missing = await rollups.MissingDaysAsync(period.Start, period.End, ct);
        if (missing.Count > 0)
            throw new ReportRefusedException(ReportRefusedException.Incomplete,
                $"the rollups of {period} are incomplete: {missing.Count} day(s) have none ({Ranges(missing)}). " +
                "Days are rolled up after they end; run `bulwark reports rollup` (or wait for the server's job), or choose a period that has ended.");
        await using var db = dbs.Create();
        var facts = await db.Set<RollupFactRow>().AsNoTracking().Where(f => f.Day >= period.Start && f.Day <= period.End)
            .GroupBy(f => new { f.Market, f.Policy, f.SubPolicy, f.Metric })
            .Select(g => new { g.Key.Market, g.Key.Policy, g.Key.SubPolicy, g.Key.Metric, Value = g.Sum(x => x.Value) }).ToListAsync(ct);
        var durations = await db.Set<RollupDurationRow>().AsNoTracking().Where(f => f.Day >= period.Start && f.Day <= period.End)
            .GroupBy(f => new { f.Kind, f.Policy, f.Tenths })
            .Select(g => new { g.Key.Kind, g.Key.Policy, g.Key.Tenths, Count = g.Sum(x => x.Count) }).ToListAsync(ct);
        return new PeriodFacts
        {
            Period = period,
            Facts = facts.Select(f => new RollupFactRow { Day = period.Start, Market = f.Market, Policy = f.Policy, SubPolicy = f.SubPolicy, Metric = f.Metric, Value = f.Value })
                .OrderBy(f => f.Metric, StringComparer.Ordinal).ThenBy(f => f.Policy, StringComparer.Ordinal).ThenBy(f => f.Market, StringComparer.Ordinal)
                .ThenBy(f => f.SubPolicy, StringComparer.Ordinal).ToList(),
            Durations = durations.Select(d => new RollupDurationRow { Day = period.Start, Kind = d.Kind, Policy = d.Policy, Tenths = d.Tenths, Count = d.Count }).ToList(),
        };
    }

    /// <summary>Consecutive days as ranges: <c>2026-03-30..2026-03-31, 2026-04-02</c>.</summary>
    public static string Ranges(IReadOnlyList<DateOnly> days)
    {
        var parts = new List<string>();
        for (var i = 0; i < days.Count;)
        {
            var j = i;
            while (j + 1 < days.Count && days[j + 1] == days[j].AddDays(1)) j++;
            parts.Add(i == j ? $"{days[i]:yyyy-MM-dd}" : $"{days[i]:yyyy-MM-dd}..{days[j]:yyyy-MM-dd}");
            i = j + 1;
        }
        return parts.Count <= 12 ? string.Join(", ", parts) : string.Join(", ", parts.Take(12)) + $", … ({parts.Count - 12} more)";
    }
}

/// <summary>RFC 4180 CSV with CRLF line ends; cells go through the project's formula-safe writer.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    /// <summary>A text cell, neutralised if a spreadsheet would run it (<see cref="Security.CsvCells"/>).</summary>
    public static string Field(string? s) => Security.CsvCells.Field(s);

    public static byte[] Bytes(IEnumerable<string?> header, IEnumerable<IEnumerable<string?>> rows)
    {
        var sb = new StringBuilder(Line(header));
        foreach (var r in rows) sb.Append(Line(r));
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    public static string Number(long v) => v.ToString(CultureInfo.InvariantCulture);
    public static string Number(double? v, int decimals = 1) => v is { } d ? d.ToString("F" + decimals, CultureInfo.InvariantCulture) : "";
}

/// <summary>The files of one report, in order; the manifest hash is what publication fixes.</summary>
public sealed record ReportFile(string Name, string ContentType, byte[] Content);

public sealed record ReportBundle(string Kind, ReportPeriod Period, IReadOnlyList<ReportFile> Files)
{
    public string ManifestSha256()
    {
        var sb = new StringBuilder();
        foreach (var f in Files.OrderBy(f => f.Name, StringComparer.Ordinal)) sb.Append(f.Name).Append(' ').Append(Sha256(f.Content)).Append('\n');
        return Sha256(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public async Task WriteAsync(string dir, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        foreach (var f in Files) await File.WriteAllBytesAsync(Path.Combine(dir, f.Name), f.Content, ct);
    }
}
