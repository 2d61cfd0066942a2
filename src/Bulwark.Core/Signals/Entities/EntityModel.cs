using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Signals.Entities;

/// <summary>The wire and storage names of the registry's enumerations (snake_case strings, so SQL and JSON read the same).</summary>
public static class EntityKinds
{
    public const string Organisation = "organisation";
    public const string Individual = "individual";
    public static readonly IReadOnlyList<string> All = [Organisation, Individual];
}

/// <summary>How severe a designation is; rules read it from the signal labels (<c>tier:…</c>).</summary>
public static class EntityTiers
{
    public const string TerroristOrganisation = "terrorist_organisation";
    public const string ViolentExtremistOrganisation = "violent_extremist_organisation";
    public const string HatefulOrganisation = "hateful_organisation";
    public const string ViolentExtremistIndividual = "violent_extremist_individual";
    public static readonly IReadOnlyList<string> All = [TerroristOrganisation, ViolentExtremistOrganisation, HatefulOrganisation, ViolentExtremistIndividual];
}

/// <summary><c>proposed → approved → revoked</c> (a proposal may also be revoked, i.e. rejected). Only approved entries are screened.</summary>
public static class EntityStatuses
{
    public const string Proposed = "proposed";
    public const string Approved = "approved";
    public const string Revoked = "revoked";
    public static readonly IReadOnlyList<string> All = [Proposed, Approved, Revoked];
}

/// <summary>What a stored term of an entity is. Names are screened by both matchers; the rest only by the text matcher.</summary>
public static class EntityTermTypes
{
    public const string Name = "name";
    public const string Alias = "alias";
    public const string OriginalScript = "original_script";
    public const string Hashtag = "hashtag";
    public const string Slogan = "slogan";
    public const string Symbol = "symbol";
    public const string Emoji = "emoji";
    public static readonly IReadOnlyList<string> All = [Name, Alias, OriginalScript, Hashtag, Slogan, Symbol, Emoji];
    public static bool IsName(string type) => type is Name or Alias or OriginalScript;
}

/// <summary>Alias grades as the sources give them: strong match freely, weak only exactly, former are historical names.</summary>
public static class EntityGrades
{
    public const string Strong = "strong";
    public const string Weak = "weak";
    public const string Former = "former";
    public static readonly IReadOnlyList<string> All = [Strong, Weak, Former];
}

/// <summary>A designated organisation or individual.</summary>
public sealed class DesignatedEntityRow
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public required string PrimaryName { get; set; }
    public required string Tier { get; set; }
    public required string Status { get; set; }
    public string? Ideology { get; set; }
    /// <summary>Comma-separated ISO 3166-1 alpha-2 codes the designation is relevant to; null = global.</summary>
    public string? RegionScope { get; set; }
    public string? Notes { get; set; }
    /// <summary>JSON array of evidence URLs.</summary>
    public string EvidenceJson { get; set; } = "[]";
    /// <summary>Where the entry came from: a list source (<c>un-sc</c>, <c>eu</c>, a CSV source name) or <c>manual</c>.</summary>
    public required string Origin { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? StatusChangedBy { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    public string? StatusReason { get; set; }
    public List<EntityTermRow> Terms { get; set; } = [];
    public List<EntityListingRow> Listings { get; set; } = [];
}

/// <summary>A name, alias, hashtag, slogan, symbol or emoji of an entity. <see cref="Origin"/> says which list (or <c>manual</c>) gave it,
/// so a list update replaces only that list's names and keeps what experts added.</summary>
public sealed class EntityTermRow
{
    public long Id { get; set; }
    public long EntityId { get; set; }
    public required string Type { get; set; }
    public required string Value { get; set; }
    public required string Grade { get; set; }
    public required string Origin { get; set; }
}

/// <summary>A membership of an entity in a published list. <see cref="RecordJson"/> is the record as last imported: the next import diffs against it.</summary>
public sealed class EntityListingRow
{
    public long Id { get; set; }
    public long EntityId { get; set; }
    public required string Source { get; set; }
    /// <summary>The source's stable key (UN DATAID, EU logicalId, CSV key).</summary>
    public required string SourceKey { get; set; }
    public string? ListType { get; set; }
    public string? ReferenceNumber { get; set; }
    public DateOnly? ListedOn { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset? DelistedAt { get; set; }
    public long? LastImportRunId { get; set; }
    public string RecordJson { get; set; } = "{}";
}

/// <summary>One import of a list file: what it would change (dry run), did change (applied) or why it was refused.</summary>
public sealed class ListImportRunRow
{
    public long Id { get; set; }
    public required string Source { get; set; }
    public required string Status { get; set; }
    public string? FileName { get; set; }
    public required string FileSha256 { get; set; }
    public long FileBytes { get; set; }
    public int Records { get; set; }
    public int Added { get; set; }
    public int Changed { get; set; }
    public int Delisted { get; set; }
    public int Unchanged { get; set; }
    public int PreviousCount { get; set; }
    public bool Forced { get; set; }
    /// <summary>Why the run was refused: <c>unreadable</c>, <c>invalid</c> (record errors) or <c>shrink</c>; null otherwise.</summary>
    public string? Refusal { get; set; }
    /// <summary>The refusal in words (byte offset, line, the errors…); null otherwise.</summary>
    public string? Problem { get; set; }
    /// <summary>JSON: the diff (added, changed with fields, delisted) and the parser's issues.</summary>
    public string DiffJson { get; set; } = "{}";
    public required string Actor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class DesignatedEntityConfiguration : IEntityTypeConfiguration<DesignatedEntityRow>
{
    public void Configure(EntityTypeBuilder<DesignatedEntityRow> e)
    {
        e.ToTable("designated_entities");
        e.HasIndex(x => x.Status);
        e.HasIndex(x => x.UpdatedAt);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.PrimaryName).HasMaxLength(512);
        e.Property(x => x.Tier).HasMaxLength(48);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.Ideology).HasMaxLength(256);
        e.Property(x => x.RegionScope).HasMaxLength(256);
        e.Property(x => x.Origin).HasMaxLength(64);
        e.HasMany(x => x.Terms).WithOne().HasForeignKey(t => t.EntityId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Listings).WithOne().HasForeignKey(l => l.EntityId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EntityTermConfiguration : IEntityTypeConfiguration<EntityTermRow>
{
    public void Configure(EntityTypeBuilder<EntityTermRow> e)
    {
        e.ToTable("designated_entity_terms");
        e.HasIndex(x => x.EntityId);
        e.Property(x => x.Type).HasMaxLength(24);
        e.Property(x => x.Value).HasMaxLength(512);
        e.Property(x => x.Grade).HasMaxLength(16);
        e.Property(x => x.Origin).HasMaxLength(64);
    }
}

internal sealed class EntityListingConfiguration : IEntityTypeConfiguration<EntityListingRow>
{
    public void Configure(EntityTypeBuilder<EntityListingRow> e)
    {
        e.ToTable("designated_entity_listings");
        e.HasIndex(x => new { x.Source, x.SourceKey }).IsUnique();
        e.HasIndex(x => x.EntityId);
        e.Property(x => x.Source).HasMaxLength(64);
        e.Property(x => x.SourceKey).HasMaxLength(512);
        e.Property(x => x.ListType).HasMaxLength(256);
        e.Property(x => x.ReferenceNumber).HasMaxLength(128);
    }
}

internal sealed class ListImportRunConfiguration : IEntityTypeConfiguration<ListImportRunRow>
{
    public void Configure(EntityTypeBuilder<ListImportRunRow> e)
    {
        e.ToTable("list_import_runs");
        e.HasIndex(x => new { x.Source, x.Id });
        e.Property(x => x.Source).HasMaxLength(64);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.FileName).HasMaxLength(512);
        e.Property(x => x.FileSha256).HasMaxLength(64);
        e.Property(x => x.Refusal).HasMaxLength(16);
    }
}
