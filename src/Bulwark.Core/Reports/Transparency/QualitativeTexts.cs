using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>
/// The texts a policy admin writes for the DSA report: the qualitative template's indicators and the items of tables 10
/// (human resources, recipients). The labels are the English indicator names the report's CSV carries; the console shows
/// them translated (resx keys <c>ReportsQualitative.Indicator.{key}</c>).
/// </summary>
public static class DsaTexts
{
    public sealed record Indicator(string Key, string Label);

    /// <summary>Tables 9 and 10: human resources dedicated to content moderation (Art. 42(2)(a)–(b)) and average monthly recipients (Art. 42(3)); hr.qualifications goes to table 11.</summary>
    public static readonly IReadOnlyList<Indicator> HumanResources =
    [
        new("hr.moderators", "Human resources dedicated to content moderation"), new("hr.languages", "Official EU languages covered by moderators"),
        new("hr.qualifications", "Qualifications and linguistic expertise"), new("recipients.monthly_active", "Average monthly active recipients in the Union"),
    ];

    /// <summary>Table 11, the qualitative template (orders.context, notices.context and complaints.context open the contexts of tables 3, 4 and 7).</summary>
    public static readonly IReadOnlyList<Indicator> Qualitative =
    [
        new("summary.own_initiative", "Summary of the content moderation engaged in at the providers' own initiative"),
        new("automated.description", "Qualitative description of the automated means"),
        new("automated.purposes", "Specification of the precise purposes of the automated means"),
        new("automated.safeguards", "Safeguards applied to the use of automated means"),
        new("moderators.training", "Training and assistance given to persons in charge of content moderation"),
        new("orders.context", "Contextual information on orders"),
        new("notices.context", "Contextual information on notices"),
        new("complaints.context", "Contextual information on complaints"),
        new("other", "Any other information"),
    ];

    public static readonly IReadOnlyList<Indicator> All = [.. Qualitative, .. HumanResources];

    public const int MaxLength = 20_000;
}

/// <summary>A text written for one indicator of one report period.</summary>
public sealed class QualitativeTextRow
{
    public long Id { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public required string Key { get; set; }
    public required string Text { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class QualitativeTextConfiguration : IEntityTypeConfiguration<QualitativeTextRow>
{
    public void Configure(EntityTypeBuilder<QualitativeTextRow> e)
    {
        e.ToTable("transparency_qualitative_texts");
        e.HasIndex(x => new { x.PeriodStart, x.PeriodEnd, x.Key }).IsUnique();
        e.Property(x => x.Key).HasMaxLength(64);
        e.Property(x => x.UpdatedBy).HasMaxLength(200);
    }
}

/// <summary>
/// Keeps the qualitative texts per report period. A period's DSA report reads the texts written for exactly that period,
/// over the defaults configured in <c>Bulwark:Transparency:Qualitative</c>. Every change is audited (actor, indicator, period,
/// and the lengths before and after; the texts themselves are in the report).
/// </summary>
public sealed class QualitativeTexts(IBulwarkDbFactory dbs, TransparencyOptions options, AuditLog audit, TimeProvider clock)
{
    /// <summary>Every indicator's text for the period: what was written for it, else the configured default, else empty.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ForPeriodAsync(ReportPeriod period, CancellationToken ct)
    {
        var texts = DsaTexts.All.ToDictionary(i => i.Key, i => options.Qualitative.TryGetValue(i.Key, out var v) ? v : "", StringComparer.Ordinal);
        foreach (var (key, text) in options.Qualitative) texts.TryAdd(key, text);
        foreach (var (key, text) in await WrittenAsync(period, ct)) texts[key] = text;
        return texts;
    }

    /// <summary>Only what was written for the period (the form shows the configured defaults separately).</summary>
    public async Task<IReadOnlyDictionary<string, string>> WrittenAsync(ReportPeriod period, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<QualitativeTextRow>().AsNoTracking().Where(r => r.PeriodStart == period.Start && r.PeriodEnd == period.End)
            .ToDictionaryAsync(r => r.Key, r => r.Text, StringComparer.Ordinal, ct);
    }

    /// <summary>
    /// Saves the given texts for the period (an empty text removes what was written, so the default applies again); returns
    /// the indicators that changed. Unknown indicators and over-long texts are refused before anything is written.
    /// </summary>
    public async Task<IReadOnlyList<string>> SaveAsync(ReportPeriod period, IReadOnlyDictionary<string, string?> texts, string actor, CancellationToken ct)
    {
        if (period.End < period.Start)
            throw new ReportRefusedException(ReportRefusedException.Invalid, $"the period is inverted: it ends ({period.End:yyyy-MM-dd}) before it starts ({period.Start:yyyy-MM-dd})");
        foreach (var (key, text) in texts)
        {
            if (DsaTexts.All.All(i => i.Key != key))
                throw new ReportRefusedException(ReportRefusedException.Invalid, $"unknown indicator '{key}'; the indicators are {string.Join(", ", DsaTexts.All.Select(i => i.Key))}");
            if (text is { Length: > DsaTexts.MaxLength })
                throw new ReportRefusedException(ReportRefusedException.Invalid, $"the text for '{key}' has {text.Length} characters; at most {DsaTexts.MaxLength}");
        }
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var rows = await db.Set<QualitativeTextRow>().Where(r => r.PeriodStart == period.Start && r.PeriodEnd == period.End).ToDictionaryAsync(r => r.Key, StringComparer.Ordinal, ct);
        var changed = new List<string>();
        var records = new List<AuditRecord>();
        var now = clock.GetUtcNow();
        foreach (var (key, raw) in texts)
        {
            var text = (raw ?? "").Replace("\r\n", "\n").Trim();
            rows.TryGetValue(key, out var row);
            var before = row?.Text;
            if ((before ?? "") == text) continue;
            if (text.Length == 0) db.Remove(row!);
            else if (row is null) db.Add(new QualitativeTextRow { PeriodStart = period.Start, PeriodEnd = period.End, Key = key, Text = text, UpdatedBy = actor, UpdatedAt = now });
            else { row.Text = text; row.UpdatedBy = actor; row.UpdatedAt = now; }
            changed.Add(key);
            records.Add(new AuditRecord(actor, "transparency.qualitative_saved", $"transparency-text:{period}:{key}",
                before is null ? null : $"{before.Length} characters", text.Length == 0 ? "removed (the configured default applies)" : $"{text.Length} characters"));
        }
        if (changed.Count == 0) return changed;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, records, ct);
        await tx.CommitAsync(ct);
        return changed;
    }
}
