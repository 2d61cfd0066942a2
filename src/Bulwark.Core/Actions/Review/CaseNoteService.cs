using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Actions.Review;

/// <summary>
/// An internal comment by staff on a case (<c>case:{id}</c>) or an account (<c>account:{id}</c>). Staff only: no statement of
/// reasons, user notice, export or researcher query reads this table.
/// </summary>
public sealed class CaseNoteRow
{
    public long Id { get; set; }
    public required string Subject { get; set; }
    public required string Author { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CaseNoteRowConfiguration : IEntityTypeConfiguration<CaseNoteRow>
{
    public void Configure(EntityTypeBuilder<CaseNoteRow> e)
    {
        e.ToTable("review_notes");
        e.HasIndex(x => new { x.Subject, x.Id });
        e.Property(x => x.Subject).HasMaxLength(200);
        e.Property(x => x.Author).HasMaxLength(200);
        e.Property(x => x.Text).HasMaxLength(CaseNoteService.MaxLength);
    }
}

public sealed record CaseNote(long Id, string Subject, string Author, string Text, DateTimeOffset CreatedAt);

/// <summary>Internal comments: added (audited, with the text's length, not the text) and listed, newest first.</summary>
public sealed class CaseNoteService(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock)
{
    public const int MaxLength = 4000;
    public const int MaxListed = 200;

    public static string CaseSubject(long caseId) => $"case:{caseId}";
    public static string AccountSubject(string accountId) => $"account:{accountId}";

    public async Task<IReadOnlyList<CaseNote>> ListAsync(IReadOnlyCollection<string> subjects, CancellationToken ct)
    {
        var list = subjects.ToList();
        await using var db = dbs.Create();
        return await db.Set<CaseNoteRow>().AsNoTracking().Where(n => list.Contains(n.Subject)).OrderByDescending(n => n.Id).Take(MaxListed)
            .Select(n => new CaseNote(n.Id, n.Subject, n.Author, n.Text, n.CreatedAt)).ToListAsync(ct);
    }

    /// <summary>Adds a comment; the caller has checked that <paramref name="author"/> may work the case the subject belongs to.</summary>
    public async Task<ReviewResult<CaseNote>> AddAsync(string subject, string? text, string author, CancellationToken ct)
    {
        var t = text?.Trim() ?? "";
        if (t.Length == 0) return ReviewResult<CaseNote>.Fail(ReviewError.Invalid, "A comment needs some text.");
        if (t.Length > MaxLength) return ReviewResult<CaseNote>.Fail(ReviewError.Invalid, $"A comment is at most {MaxLength} characters; this one has {t.Length}.");
        if (!subject.StartsWith("case:", StringComparison.Ordinal) && !subject.StartsWith("account:", StringComparison.Ordinal))
            return ReviewResult<CaseNote>.Fail(ReviewError.Invalid, "A comment is about a case or an account.");
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = new CaseNoteRow { Subject = subject, Author = author, Text = t, CreatedAt = clock.GetUtcNow() };
        db.Set<CaseNoteRow>().Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(author, "review.note_added", subject, null, $"note {row.Id} ({t.Length} characters)")], ct);
        await tx.CommitAsync(ct);
        return ReviewResult<CaseNote>.Success(new CaseNote(row.Id, row.Subject, row.Author, row.Text, row.CreatedAt));
    }
}
