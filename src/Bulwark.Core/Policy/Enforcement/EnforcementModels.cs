using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Policy.Enforcement;

/// <summary><c>Bulwark:Enforcement</c>: how long strikes count and which active strike weight suspends or bans an account.</summary>
public sealed class EnforcementOptions
{
    public const string Section = "Bulwark:Enforcement";

    [Range(1, 3650)] public int StrikeWindowDays { get; set; } = 90;
    [Range(0.1, 1000)] public double SuspendAtStrikes { get; set; } = 3;
    [Range(0.1, 1000)] public double BanAtStrikes { get; set; } = 5;
    [Range(1, 365)] public int SuspensionDays { get; set; } = 7;
}

/// <summary>A strike against an account: weighted by its policy, counted until <see cref="ExpiresAt"/> unless removed on appeal.</summary>
public sealed class StrikeRow
{
    public long Id { get; set; }
    public required string AccountId { get; set; }
    public required string Policy { get; set; }
    public double Weight { get; set; }
    public long? ContentVersionId { get; set; }
    public long? DecisionId { get; set; }
    /// <summary>One strike per cause: <c>cv{versionId}:{policy}</c> for pipeline strikes, so a replayed event cannot strike twice.</summary>
    public required string CauseKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
    public string? RemovedReason { get; set; }
}

/// <summary>Something the account did off the platform (e.g. a verified post on another service), reported by an investigator.</summary>
public sealed class OffPlatformFindingRow
{
    public long Id { get; set; }
    public required string AccountId { get; set; }
    public required string Source { get; set; }
    public required string Description { get; set; }
    public string? EvidenceUrl { get; set; }
    /// <summary>The designated entity the finding links the account to, if any (an entity id or name).</summary>
    public string? LinkedEntity { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class StrikeRowConfiguration : IEntityTypeConfiguration<StrikeRow>
{
    public void Configure(EntityTypeBuilder<StrikeRow> e)
    {
        e.ToTable("strikes");
        e.HasIndex(x => x.CauseKey).IsUnique();
        e.HasIndex(x => new { x.AccountId, x.ExpiresAt });
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.Policy).HasMaxLength(32);
        e.Property(x => x.CauseKey).HasMaxLength(200);
    }
}

internal sealed class OffPlatformFindingRowConfiguration : IEntityTypeConfiguration<OffPlatformFindingRow>
{
    public void Configure(EntityTypeBuilder<OffPlatformFindingRow> e)
    {
        e.ToTable("offplatform_findings");
        e.HasIndex(x => x.AccountId);
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.Source).HasMaxLength(200);
        e.Property(x => x.EvidenceUrl).HasMaxLength(2048);
        e.Property(x => x.LinkedEntity).HasMaxLength(200);
    }
}
