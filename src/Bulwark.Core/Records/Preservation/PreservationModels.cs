using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Records.Preservation;

/// <summary><c>Bulwark:Preservation</c>: where preserved media goes, for how long, and how often the job copies and purges.</summary>
public sealed class PreservationOptions
{
    public const string Section = "Bulwark:Preservation";

    /// <summary>A restricted folder (only the server's user should read it): one sub-folder of media copies per item.</summary>
    [Required, MinLength(1)] public string Path { get; set; } = "data/preservation";
    /// <summary>Reg. 2021/784 Art. 6(2): six months from the removal, longer only under a legal hold.</summary>
    [Range(6, 120)] public int RetentionMonths { get; set; } = 6;
    /// <summary>How often pending items get their copies (event, signals, decision, media).</summary>
    [Range(1, 3600)] public int CopyIntervalSeconds { get; set; } = 10;
    /// <summary>How often expired items without an active hold are purged.</summary>
    [Range(1, 10080)] public int PurgeIntervalMinutes { get; set; } = 60;
    [Range(1, 10000)] public int BatchSize { get; set; } = 100;
}

public static class PreservationStatus
{
    /// <summary>Recorded with the removal decision; the copies are not made yet.</summary>
    public const string Pending = "pending";
    public const string Preserved = "preserved";
}

/// <summary>
/// Removed content and its related data, kept for the proceedings Art. 6(1) of Regulation 2021/784 names (review,
/// complaints, reinstatement; prevention and prosecution of terrorist offences). Created in the removal decision's
/// transaction as <c>pending</c>; the preservation job then copies the stored event, the signals, the decision and the media.
/// </summary>
public sealed class PreservedItemRow
{
    public long Id { get; set; }
    public long DecisionId { get; set; }
    public required string ContentId { get; set; }
    public long ContentVersionId { get; set; }
    public string? AccountId { get; set; }
    public string? Policy { get; set; }
    /// <summary>What caused preservation: the removing actions (<c>content.remove</c>, <c>account.ban</c>).</summary>
    public required string Cause { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PreservedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? EventJson { get; set; }
    public string? SignalsJson { get; set; }
    public string? DecisionJson { get; set; }
    /// <summary>The account's profile as stored when the copies were made, for a ban (or any removal naming an account).</summary>
    public string? AccountJson { get; set; }
}

/// <summary>A media file of a preserved item, copied into the item's folder; <see cref="Available"/> is false when the media store lacked it.</summary>
public sealed class PreservedFileRow
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    public string? MimeType { get; set; }
    public bool Available { get; set; }
    public string? Note { get; set; }
}

/// <summary>A legal hold (e.g. a competent authority's request under Art. 6(2)): the item is never purged while one is active.</summary>
public sealed class PreservationHoldRow
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public required string Reference { get; set; }
    public required string Reason { get; set; }
    public required string PlacedBy { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public string? ReleasedBy { get; set; }
    public string? ReleaseReason { get; set; }
}

internal sealed class PreservedItemRowConfiguration : IEntityTypeConfiguration<PreservedItemRow>
{
    public void Configure(EntityTypeBuilder<PreservedItemRow> e)
    {
        e.ToTable("preservation_items");
        e.HasIndex(x => x.DecisionId).IsUnique();
        e.HasIndex(x => new { x.Status, x.Id });
        e.HasIndex(x => x.ExpiresAt);
        e.HasIndex(x => x.ContentId);
        e.Property(x => x.ContentId).HasMaxLength(128);
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.Policy).HasMaxLength(32);
        e.Property(x => x.Cause).HasMaxLength(100);
        e.Property(x => x.Status).HasMaxLength(16);
    }
}

internal sealed class PreservedFileRowConfiguration : IEntityTypeConfiguration<PreservedFileRow>
{
    public void Configure(EntityTypeBuilder<PreservedFileRow> e)
    {
        e.ToTable("preservation_files");
        e.HasIndex(x => new { x.ItemId, x.Sha256 }).IsUnique();
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.MimeType).HasMaxLength(128);
    }
}

internal sealed class PreservationHoldRowConfiguration : IEntityTypeConfiguration<PreservationHoldRow>
{
    public void Configure(EntityTypeBuilder<PreservationHoldRow> e)
    {
        e.ToTable("preservation_holds");
        e.HasIndex(x => x.ItemId);
        e.Property(x => x.Reference).HasMaxLength(200);
        e.Property(x => x.PlacedBy).HasMaxLength(200);
        e.Property(x => x.ReleasedBy).HasMaxLength(200);
    }
}

public sealed record PreservedFileView(string Sha256, long Size, string? MimeType, bool Available, string? Note);

public sealed record HoldView(long Id, string Reference, string Reason, string PlacedBy, DateTimeOffset PlacedAt,
    DateTimeOffset? ReleasedAt, string? ReleasedBy, string? ReleaseReason, bool Active);

public sealed record PreservedItemSummary(long Id, long DecisionId, string ContentId, string? AccountId, string? Policy, string Cause,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool Held);

public sealed record PreservedItemView(long Id, long DecisionId, string ContentId, long ContentVersionId, string? AccountId, string? Policy,
    string Cause, string Status, DateTimeOffset CreatedAt, DateTimeOffset? PreservedAt, DateTimeOffset ExpiresAt, bool Held,
    string? EventJson, string? SignalsJson, string? DecisionJson, string? AccountJson, IReadOnlyList<PreservedFileView> Files, IReadOnlyList<HoldView> Holds);

public enum PreservationError { None, Invalid, NotFound, HoldNotFound, HoldReleased }

public sealed record PreservationResult<T>(T? Value, PreservationError Error, string? Message, IReadOnlyList<Ingest.FieldError> Errors)
{
    public static PreservationResult<T> Ok(T v) => new(v, PreservationError.None, null, []);
    public static PreservationResult<T> Fail(PreservationError e, string message) => new(default, e, message, []);
    public static PreservationResult<T> Invalid(params Ingest.FieldError[] errors) => new(default, PreservationError.Invalid, null, errors);
}

/// <summary>A preserved file opened for download; dispose the stream.</summary>
public sealed record PreservedFile(Stream Content, string Sha256, long Size, string? MimeType);
