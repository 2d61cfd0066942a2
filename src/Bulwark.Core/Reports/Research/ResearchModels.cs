using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Reports.Research;

public static class ProjectStatus
{
    public const string Applied = "applied";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Ended = "ended";
}

/// <summary>A research project: the application as filed, and, once decided, the grant (datasets and fields), end date and quota.</summary>
public sealed class ResearchProjectRow
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public required string Organisation { get; set; }
    /// <summary>The applicant (principal investigator); private, never served by the research API.</summary>
    public required string ApplicantName { get; set; }
    public required string ApplicantEmail { get; set; }
    public required string IndependenceDeclaration { get; set; }
    public required string Funding { get; set; }
    public required string Description { get; set; }
    public required string Safeguards { get; set; }
    public required string PublicSummary { get; set; }
    /// <summary>JSON object: dataset name → requested field names.</summary>
    public required string RequestedJson { get; set; }
    public DateOnly RequestedStart { get; set; }
    public DateOnly RequestedEnd { get; set; }
    public required string Status { get; set; }
    /// <summary>JSON object: dataset name → granted field names (a subset of the request when narrowed).</summary>
    public string GrantedJson { get; set; } = "{}";
    public bool Narrowed { get; set; }
    public DateOnly? EndDate { get; set; }
    public int DailyRequests { get; set; }
    public int DailyRecords { get; set; }
    public int PerMinute { get; set; }
    public string? DecisionReason { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
    /// <summary>The project's pseudonymisation key (random, 32 bytes): ids are HMACs under it, so they do not link across projects.</summary>
    public required byte[] PseudonymKey { get; set; }
}

/// <summary>A member of a project with its own client credentials. Only the SHA-256 of the secret is stored.</summary>
public sealed class ResearchMemberRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public required string Name { get; set; }
    /// <summary><c>principal</c> or <c>collaborator</c>.</summary>
    public required string Role { get; set; }
    public required string ClientId { get; set; }
    public required string SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>An issued access token (SHA-256 only). Valid until <see cref="ExpiresAt"/> unless revoked.</summary>
public sealed class ResearchTokenRow
{
    public long Id { get; set; }
    public required string TokenHash { get; set; }
    public long MemberId { get; set; }
    public long ProjectId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A project's usage in one window: a UTC day (<c>yyyy-MM-dd</c>) or a UTC minute (<c>m:</c> + Unix minute).</summary>
public sealed class ResearchUsageRow
{
    public long ProjectId { get; set; }
    public required string Window { get; set; }
    public int Requests { get; set; }
    public int Records { get; set; }
}

/// <summary>A stable result: the query, and the highest row id it may see, so later pages and re-runs see the same items.</summary>
public sealed class ResearchSearchRow
{
    public required string SearchId { get; set; }
    public long ProjectId { get; set; }
    public long MemberId { get; set; }
    public required string Dataset { get; set; }
    public required string QueryJson { get; set; }
    public required string Fields { get; set; }
    public long Watermark { get; set; }
    public long? RandomSeed { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Where a search's page sequence stands after <see cref="Cursor"/> rows: the keyset position the page with that cursor
/// starts after. The wire keeps the TikTok-style integer cursor (rows returned so far); the position behind it is kept here.
/// </summary>
public sealed class ResearchSearchPageRow
{
    public required string SearchId { get; set; }
    public int Cursor { get; set; }
    public long OrderValue { get; set; }
    public long KeyValue { get; set; }
    /// <summary>When the page was first served; the position is forgotten <see cref="ResearchOptions.CursorDays"/> later.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One logged query (or aggregate): who, what, which fields, how many rows and a hash of the answer.</summary>
public sealed class ResearchQueryLogRow
{
    public long Id { get; set; }
    public required string LogId { get; set; }
    public long ProjectId { get; set; }
    public long MemberId { get; set; }
    public required string Dataset { get; set; }
    public required string Kind { get; set; }
    public required string QueryJson { get; set; }
    public required string Fields { get; set; }
    public string? SearchId { get; set; }
    public int RowCount { get; set; }
    public required string ResultHash { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>A user's objection (an account, or a single content item): excluded from every later answer.</summary>
public sealed class ResearchObjectionRow
{
    public long Id { get; set; }
    public string? AccountId { get; set; }
    public string? ContentId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string RecordedBy { get; set; }
}

/// <summary>
/// The research read model of a content item (its latest version), built from stored events by <see cref="ResearchIndexer"/>.
/// Only what the catalogue may serve is copied; linked identifiers, handles, bios and media are never copied.
/// </summary>
public sealed class ResearchContentRow
{
    public long Id { get; set; }
    public required string ContentId { get; set; }
    public long VersionId { get; set; }
    public required string Kind { get; set; }
    public string? AccountId { get; set; }
    public string? Region { get; set; }
    public string? Language { get; set; }
    /// <summary>Creation day as yyyymmdd (UTC), so date windows and monthly groups translate the same on every provider.</summary>
    public int CreatedDay { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? Text { get; set; }
    /// <summary>Lower-case hashtags without '#', delimited and enclosed by '|' (<c>|a|b|</c>) so one tag matches exactly.</summary>
    public string Hashtags { get; set; } = "|";
    public long? ViewCount { get; set; }
    public bool IsPublic { get; set; }
    public bool IsAdult { get; set; }
}

internal sealed class ResearchProjectConfiguration : IEntityTypeConfiguration<ResearchProjectRow>
{
    public void Configure(EntityTypeBuilder<ResearchProjectRow> e)
    {
        e.ToTable("research_projects");
        e.HasIndex(x => x.Status);
        e.Property(x => x.Status).HasMaxLength(16);
    }
}

internal sealed class ResearchMemberConfiguration : IEntityTypeConfiguration<ResearchMemberRow>
{
    public void Configure(EntityTypeBuilder<ResearchMemberRow> e)
    {
        e.ToTable("research_members");
        e.HasIndex(x => x.ClientId).IsUnique();
        e.HasIndex(x => x.ProjectId);
        e.Property(x => x.ClientId).HasMaxLength(64);
        e.Property(x => x.Role).HasMaxLength(16);
    }
}

internal sealed class ResearchTokenConfiguration : IEntityTypeConfiguration<ResearchTokenRow>
{
    public void Configure(EntityTypeBuilder<ResearchTokenRow> e)
    {
        e.ToTable("research_tokens");
        e.HasIndex(x => x.TokenHash).IsUnique();
        e.HasIndex(x => x.MemberId);
        e.Property(x => x.TokenHash).HasMaxLength(64);
    }
}

internal sealed class ResearchUsageConfiguration : IEntityTypeConfiguration<ResearchUsageRow>
{
    public void Configure(EntityTypeBuilder<ResearchUsageRow> e)
    {
        e.ToTable("research_usage");
        e.HasKey(x => new { x.ProjectId, x.Window });
        e.Property(x => x.Window).HasMaxLength(32);
    }
}

internal sealed class ResearchSearchConfiguration : IEntityTypeConfiguration<ResearchSearchRow>
{
    public void Configure(EntityTypeBuilder<ResearchSearchRow> e)
    {
        e.ToTable("research_searches");
        e.HasKey(x => x.SearchId);
        e.Property(x => x.SearchId).HasMaxLength(64);
        e.HasIndex(x => x.ProjectId);
    }
}

internal sealed class ResearchSearchPageConfiguration : IEntityTypeConfiguration<ResearchSearchPageRow>
{
    public void Configure(EntityTypeBuilder<ResearchSearchPageRow> e)
    {
        e.ToTable("research_search_pages");
        e.HasKey(x => new { x.SearchId, x.Cursor });
        e.Property(x => x.SearchId).HasMaxLength(64);
        e.HasIndex(x => x.CreatedAt);
    }
}

internal sealed class ResearchQueryLogConfiguration : IEntityTypeConfiguration<ResearchQueryLogRow>
{
    public void Configure(EntityTypeBuilder<ResearchQueryLogRow> e)
    {
        e.ToTable("research_query_log");
        e.HasIndex(x => new { x.ProjectId, x.Id });
        e.HasIndex(x => x.LogId).IsUnique();
        e.Property(x => x.LogId).HasMaxLength(64);
    }
}

internal sealed class ResearchObjectionConfiguration : IEntityTypeConfiguration<ResearchObjectionRow>
{
    public void Configure(EntityTypeBuilder<ResearchObjectionRow> e)
    {
        e.ToTable("research_objections");
        e.HasIndex(x => x.AccountId);
        e.HasIndex(x => x.ContentId);
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.ContentId).HasMaxLength(128);
    }
}

internal sealed class ResearchContentConfiguration : IEntityTypeConfiguration<ResearchContentRow>
{
    public void Configure(EntityTypeBuilder<ResearchContentRow> e)
    {
        e.ToTable("research_content");
        e.HasIndex(x => x.ContentId).IsUnique();
        e.HasIndex(x => new { x.CreatedDay, x.Id });
        e.HasIndex(x => x.AccountId);
        e.Property(x => x.ContentId).HasMaxLength(128);
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Region).HasMaxLength(2);
        e.Property(x => x.Language).HasMaxLength(35);
    }
}
