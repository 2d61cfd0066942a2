using System.ComponentModel.DataAnnotations;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Reports.Transparency;

/// <summary><c>Bulwark:Transparency</c>: rollup job, report defaults and the qualitative texts a policy admin configures.</summary>
public sealed class TransparencyOptions
{
    public const string Section = "Bulwark:Transparency";

    /// <summary>
    /// Whether the server runs the rollup job. Off, reports over days nobody folded are refused as incomplete until
    /// <c>bulwark reports rollup</c> folds them; the switch exists to measure the job's cost to the pipeline (loadgen on vs off).
    /// </summary>
    public bool RollupJobEnabled { get; set; } = true;
    /// <summary>How often the rollup job folds new records into per-day rollups.</summary>
    [Range(5, 86400)] public int RollupIntervalSeconds { get; set; } = 300;
    /// <summary>Records written this long before the job's previous run are looked at again (a transaction committed late).</summary>
    [Range(0, 1440)] public int RollupOverlapMinutes { get; set; } = 15;
    /// <summary>The first day the job rolls up when the database holds no older records (null: the day of the oldest record).</summary>
    public DateOnly? FirstDay { get; set; }
    /// <summary>Below this many blind QA re-reviews a detector's accuracy is reported as "too few samples".</summary>
    [Range(1, 100000)] public int MinQaSamples { get; set; } = 30;
    /// <summary>Share of automated restrictions the job sends to the QA queue as blind re-reviews (seeded random).</summary>
    [Range(0.0, 1.0)] public double AutomatedQaSampleRate { get; set; } = 0.02;
    /// <summary>Markets listed one by one in the CGER; the rest are summed as "other".</summary>
    [Range(1, 250)] public int TopMarkets { get; set; } = 5;
    /// <summary>Policies whose id starts with this count as violent extremism (the CGER's VE share).</summary>
    [Required] public string ViolentExtremismPolicyPrefix { get; set; } = "VE-";
    /// <summary>The service named in the DSA report when the command gives none.</summary>
    [Required, MaxLength(200)] public string ServiceName { get; set; } = "Bulwark demo platform";
    public string ProviderName { get; set; } = "";
    /// <summary>Debian's Chromium prints the HTML reports to PDF (headless).</summary>
    [Required] public string ChromiumPath { get; set; } = "/usr/bin/chromium";
    /// <summary>Free texts of the DSA qualitative template (table 11) and the human-resources figures (table 10), keyed by row id.</summary>
    public Dictionary<string, string> Qualitative { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One number of one day: the fact table every report is computed from.</summary>
public sealed class RollupFactRow
{
    public DateOnly Day { get; set; }
    public required string Market { get; set; }
    public required string Policy { get; set; }
    public required string SubPolicy { get; set; }
    public required string Metric { get; set; }
    public long Value { get; set; }
}

/// <summary>A histogram of durations (tenths of an hour) for exact medians over any period without keeping every record.</summary>
public sealed class RollupDurationRow
{
    public DateOnly Day { get; set; }
    public required string Kind { get; set; }
    public required string Policy { get; set; }
    public int Tenths { get; set; }
    public long Count { get; set; }
}

/// <summary>A day whose rollups were computed after it ended; a report may only cover days that have one.</summary>
public sealed class RollupDayRow
{
    public DateOnly Day { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
    public int Computations { get; set; }
}

/// <summary>Where the rollup job stopped (<c>last-run</c>) and the last automated decision it considered for QA sampling.</summary>
public sealed class RollupWatermarkRow
{
    public required string Name { get; set; }
    public long Position { get; set; }
    public DateTimeOffset At { get; set; }
}

public static class ReportStatus
{
    public const string Draft = "draft";
    public const string Published = "published";
}

public static class ReportKinds
{
    public const string Cger = "cger";
    public const string Dsa = "dsa";
    public const string Tco = "tco";
    public static readonly IReadOnlyList<string> All = [Cger, Dsa, Tco];
}

/// <summary>A generated report: a draft until a policy admin publishes it; published ones never change (a correction is a new version).</summary>
public sealed class TransparencyReportRow
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public int Version { get; set; }
    public required string Status { get; set; }
    /// <summary>SHA-256 over the files' names and SHA-256s (the manifest), fixed at generation.</summary>
    public required string Sha256 { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? PublishedBy { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    /// <summary>For a correction: what changed since the previous published version.</summary>
    public string? ChangeNote { get; set; }
    public long? Supersedes { get; set; }
}

public sealed class TransparencyReportFileRow
{
    public long Id { get; set; }
    public long ReportId { get; set; }
    public required string Name { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public required string Sha256 { get; set; }
}

internal sealed class RollupFactRowConfiguration : IEntityTypeConfiguration<RollupFactRow>
{
    public void Configure(EntityTypeBuilder<RollupFactRow> e)
    {
        e.ToTable("transparency_rollup_facts");
        e.HasKey(x => new { x.Day, x.Market, x.Policy, x.SubPolicy, x.Metric });
        e.Property(x => x.Market).HasMaxLength(16);
        e.Property(x => x.Policy).HasMaxLength(32);
        e.Property(x => x.SubPolicy).HasMaxLength(64);
        e.Property(x => x.Metric).HasMaxLength(96);
    }
}

internal sealed class RollupDurationRowConfiguration : IEntityTypeConfiguration<RollupDurationRow>
{
    public void Configure(EntityTypeBuilder<RollupDurationRow> e)
    {
        e.ToTable("transparency_rollup_durations");
        e.HasKey(x => new { x.Day, x.Kind, x.Policy, x.Tenths });
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Policy).HasMaxLength(32);
    }
}

internal sealed class RollupDayRowConfiguration : IEntityTypeConfiguration<RollupDayRow>
{
    public void Configure(EntityTypeBuilder<RollupDayRow> e)
    {
        e.ToTable("transparency_rollup_days");
        e.HasKey(x => x.Day);
    }
}

internal sealed class RollupWatermarkRowConfiguration : IEntityTypeConfiguration<RollupWatermarkRow>
{
    public void Configure(EntityTypeBuilder<RollupWatermarkRow> e)
    {
        e.ToTable("transparency_watermarks");
        e.HasKey(x => x.Name);
        e.Property(x => x.Name).HasMaxLength(64);
    }
}

internal sealed class TransparencyReportRowConfiguration : IEntityTypeConfiguration<TransparencyReportRow>
{
    public void Configure(EntityTypeBuilder<TransparencyReportRow> e)
    {
        e.ToTable("transparency_reports");
        // Two generations of the same period cannot both take version n: the second fails and retries with n + 1.
        e.HasIndex(x => new { x.Kind, x.PeriodStart, x.PeriodEnd, x.Version }).IsUnique();
        e.HasIndex(x => new { x.Status, x.PublishedAt });
        e.Property(x => x.Kind).HasMaxLength(8);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.CreatedBy).HasMaxLength(200);
        e.Property(x => x.PublishedBy).HasMaxLength(200);
        e.Property(x => x.ChangeNote).HasMaxLength(2000);
    }
}

internal sealed class TransparencyReportFileRowConfiguration : IEntityTypeConfiguration<TransparencyReportFileRow>
{
    public void Configure(EntityTypeBuilder<TransparencyReportFileRow> e)
    {
        e.ToTable("transparency_report_files");
        e.HasIndex(x => new { x.ReportId, x.Name }).IsUnique();
        e.Property(x => x.Name).HasMaxLength(128);
        e.Property(x => x.ContentType).HasMaxLength(64);
        e.Property(x => x.Sha256).HasMaxLength(64);
    }
}

// The rollup job reads records of one day by their own timestamps; these indexes keep each of those reads a range scan.
internal sealed class TransparencyDecisionIndexes : IEntityTypeConfiguration<DecisionRow>
{
    public void Configure(EntityTypeBuilder<DecisionRow> e) => e.HasIndex(x => x.ReversedAt);
}

internal sealed class TransparencyContentIndexes : IEntityTypeConfiguration<ContentItem>
{
    public void Configure(EntityTypeBuilder<ContentItem> e) => e.HasIndex(x => x.FirstSeenAt);
}

internal sealed class TransparencyAppealIndexes : IEntityTypeConfiguration<AppealRow>
{
    public void Configure(EntityTypeBuilder<AppealRow> e) => e.HasIndex(x => x.DecidedAt);
}

internal sealed class TransparencyReviewIndexes : IEntityTypeConfiguration<ReviewCaseRow>
{
    public void Configure(EntityTypeBuilder<ReviewCaseRow> e) => e.HasIndex(x => x.DecidedAt);
}
