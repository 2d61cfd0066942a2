using Bulwark.Core.Ingest;

namespace Bulwark.Core.Records.StatementsOfReasons;

/// <summary>
/// The notice a confirmed restriction followed, when the content came as an ordinary upload and a notice named it later
/// (DSA Art. 16 / Art. 22): the statement's <c>source_type</c> and, for a trusted flagger, <c>source_identity</c> come from
/// it. The notices stage implements it; without it a statement follows the event's own source.
/// </summary>
public interface IStatementNoticeSource
{
    /// <summary>The notice source for <paramref name="decisionId"/> (type <c>trusted_flagger</c> with the organisation's name, or <c>user_report</c>), or null.</summary>
    Task<EventSource?> SourceForAsync(Storage.BulwarkDbContext db, long decisionId, CancellationToken ct);
}
