using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Records.StatementsOfReasons;

public static class SubmissionStatus
{
    public const string Pending = "pending";
    /// <summary>The database answered 201, or 422 because it already holds this puid.</summary>
    public const string Stored = "stored";
    /// <summary>The database refused it (a 4xx other than a duplicate); <see cref="StatementRow.SubmissionError"/> says why.</summary>
    public const string Rejected = "rejected";
}

/// <summary>A stored statement of reasons: its submission JSON (the database's field names) and where its submission stands.</summary>
public sealed class StatementRow
{
    public long Id { get; set; }
    public required string Puid { get; set; }
    public long? DecisionId { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string SubmissionStatus { get; set; } = StatementsOfReasons.SubmissionStatus.Pending;
    public DateTimeOffset? SubmittedAt { get; set; }
    public string? SubmissionError { get; set; }
}

internal sealed class StatementRowConfiguration : IEntityTypeConfiguration<StatementRow>
{
    public void Configure(EntityTypeBuilder<StatementRow> e)
    {
        e.ToTable("statements_of_reasons");
        e.HasIndex(x => x.Puid).IsUnique();
        e.HasIndex(x => x.CreatedAt);
        e.HasIndex(x => x.SubmissionStatus);
        e.Property(x => x.Puid).HasMaxLength(500);
        e.Property(x => x.SubmissionStatus).HasMaxLength(16);
    }
}
