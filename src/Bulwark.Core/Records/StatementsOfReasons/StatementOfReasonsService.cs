using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>The statement could not be built or would fail the database's validation; nothing was added.</summary>
public sealed class SorValidationException(IReadOnlyList<FieldError> errors)
    : Exception("The statement of reasons is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>
/// A stored statement with where its submission stands, whether it passes the database's rules today, and when an appeal
/// reversed its decision (null while the decision stands; the database keeps the statement either way).
/// </summary>
public sealed record StatementRecord(string Puid, long? DecisionId, DateTimeOffset CreatedAt, string SubmissionStatus, DateTimeOffset? SubmittedAt,
    string? SubmissionError, StatementOfReasons Statement, IReadOnlyList<FieldError> ValidationErrors, DateTimeOffset? DecisionReversedAt = null);

public sealed record SorInvalid(string Puid, IReadOnlyList<FieldError> Errors);
public sealed record SorExportReport(IReadOnlyList<string> Files, int Exported, IReadOnlyList<SorInvalid> Invalid);
public sealed record SorSubmitReport(int Stored, int AlreadyStored, int Rejected, int Failed, IReadOnlyList<string> Problems);

/// <summary>
/// Statements of reasons: recorded with the decision that caused them, exported in the database's bulk format, submitted.
/// </summary>
public sealed class StatementOfReasonsService(IBulwarkDbFactory dbs, TimeProvider clock)
{
    public const int MaxPerFile = 100;

    /// <summary>
    /// Builds and validates the statement and adds it to <paramref name="db"/>'s unit of work without saving, so it commits
    /// with the decision (call it where the restriction is decided, before SaveChanges). Throws
    /// <see cref="SorValidationException"/> — naming each field — when the input cannot make a valid statement. A puid already
    /// pending in the same unit of work is not added twice; one already committed makes the unique index reject the transaction.
    /// </summary>
    public StatementOfReasons Record(BulwarkDbContext db, SorInput input)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(input);
        var built = SorBuilder.Build(input);
        if (!built.Ok) throw new SorValidationException(built.Errors);
        if (db.ChangeTracker.Entries<StatementRow>().Any(r => r.Entity.Puid == input.Puid)) return built.Statement!;
        db.Set<StatementRow>().Add(new StatementRow
        {
            Puid = input.Puid, DecisionId = input.DecisionId, Json = built.Statement!.ToJson(), CreatedAt = clock.GetUtcNow(),
        });
        return built.Statement;
    }

    public async Task<StatementRecord?> GetAsync(string puid, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var row = await db.Set<StatementRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Puid == puid, ct);
        if (row is null) return null;
        var statement = StatementOfReasons.FromJson(row.Json);
        var reversedAt = row.DecisionId is { } id ? await db.Decisions.Where(d => d.Id == id).Select(d => d.ReversedAt).FirstOrDefaultAsync(ct) : null;
        return new StatementRecord(row.Puid, row.DecisionId, row.CreatedAt, row.SubmissionStatus, row.SubmittedAt, row.SubmissionError, statement,
            SorValidator.Validate(statement), reversedAt);
    }

    /// <summary>
    /// Writes the statements recorded since <paramref name="since"/> to <c>statements-0001.json</c>, … in
    /// <paramref name="directory"/>, each <c>{"statements":[…]}</c> with at most <see cref="MaxPerFile"/>. Each statement is
    /// validated again first (rules may have changed since it was recorded); invalid ones are reported, not written.
    /// </summary>
    public async Task<SorExportReport> ExportAsync(DateTimeOffset since, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        var invalid = new List<SorInvalid>();
        var batch = new List<StatementOfReasons>(MaxPerFile);
        var exported = 0;
        long after = 0;
        await using var db = dbs.Create();
        while (true)
        {
            var rows = await db.Set<StatementRow>().AsNoTracking().Where(r => r.CreatedAt >= since && r.Id > after).OrderBy(r => r.Id).Take(1000).ToListAsync(ct);
            if (rows.Count == 0) break;
            after = rows[^1].Id;
            foreach (var row in rows)
            {
                var (statement, errors) = Parse(row);
                if (errors.Count > 0) { invalid.Add(new SorInvalid(row.Puid, errors)); continue; }
                batch.Add(statement!);
                if (batch.Count == MaxPerFile) await FlushAsync();
            }
        }
        if (batch.Count > 0) await FlushAsync();
        return new SorExportReport(files, exported, invalid);

        async Task FlushAsync()
        {
            var path = Path.Combine(directory, $"statements-{files.Count + 1:D4}.json");
            await using (var stream = File.Create(path))
                await System.Text.Json.JsonSerializer.SerializeAsync(stream, new { statements = batch }, StatementOfReasons.Json, ct);
            files.Add(path);
            exported += batch.Count;
            batch.Clear();
        }
    }

    /// <summary>Submits every pending statement, one request each, recording stored / rejected; failures stay pending for the next run.</summary>
    public async Task<SorSubmitReport> SubmitPendingAsync(SorSubmissionClient client, CancellationToken ct)
    {
        int stored = 0, already = 0, rejected = 0, failed = 0;
        var problems = new List<string>();
        long after = 0;
        while (true)
        {
            List<StatementRow> rows;
            await using (var db = dbs.Create())
                rows = await db.Set<StatementRow>().AsNoTracking().Where(r => r.SubmissionStatus == SubmissionStatus.Pending && r.Id > after)
                    .OrderBy(r => r.Id).Take(MaxPerFile).ToListAsync(ct);
            if (rows.Count == 0) break;
            after = rows[^1].Id;
            foreach (var row in rows)
            {
                var (statement, errors) = Parse(row);
                SubmissionResult result = errors.Count > 0
                    ? new SubmissionResult(SubmissionOutcome.Rejected, null, "invalid before submission: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")))
                    : await client.SubmitAsync(statement!, ct);
                switch (result.Outcome)
                {
                    case SubmissionOutcome.Stored: stored++; break;
                    case SubmissionOutcome.AlreadyStored: already++; break;
                    case SubmissionOutcome.Rejected: rejected++; problems.Add($"{row.Puid}: {result.Message}"); break;
                    default: failed++; problems.Add($"{row.Puid}: {result.Message}"); continue; // stays pending
                }
                await using var db = dbs.Create();
                await using var tx = await dbs.BeginWriteAsync(db, ct);
                await db.Set<StatementRow>().Where(r => r.Id == row.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.SubmissionStatus, result.Outcome == SubmissionOutcome.Rejected ? SubmissionStatus.Rejected : SubmissionStatus.Stored)
                    .SetProperty(r => r.SubmittedAt, clock.GetUtcNow())
                    .SetProperty(r => r.SubmissionError, result.Outcome == SubmissionOutcome.Rejected ? result.Message : null), ct);
                await tx.CommitAsync(ct);
            }
        }
        return new SorSubmitReport(stored, already, rejected, failed, problems);
    }

    private static (StatementOfReasons? Statement, IReadOnlyList<FieldError> Errors) Parse(StatementRow row)
    {
        try
        {
            var statement = StatementOfReasons.FromJson(row.Json);
            return (statement, SorValidator.Validate(statement));
        }
        catch (System.Text.Json.JsonException ex) { return (null, [new FieldError("statement", $"is not readable JSON: {ex.Message}")]); }
    }
}
