namespace Bulwark.Core.Signals.Exchange;

/// <summary>
/// One partner exchange, in python-threatexchange's terms (<c>SignalExchangeAPI</c>): a typed configuration
/// (<see cref="ExchangePartnerOptions"/>), an ordered fetch that resumes from a checkpoint and yields create/update/delete
/// deltas, and opinions sent back. Each kind (ThreatExchange, TCAP, file drops, another Bulwark) implements it once; the
/// <see cref="ExchangeSyncService"/> owns storage, banks, retries and the record of every fetch.
/// </summary>
public interface ISignalExchange
{
    /// <summary>The kind this implements (<see cref="ExchangeKinds"/>).</summary>
    string Kind { get; }

    /// <summary>
    /// The next page after <paramref name="checkpoint"/> (null: from the start). A partner that cannot be read throws
    /// <see cref="ExchangeFetchException"/>; nothing of that page is applied and the checkpoint stays where it was.
    /// </summary>
    Task<ExchangePage> FetchAsync(ExchangeCall call, string? checkpoint, CancellationToken ct);

    /// <summary>
    /// Whether a stored checkpoint is too old to resume from (ThreatExchange keeps deletions for a limited time): the
    /// service then fetches everything again and deletes what the partner no longer has.
    /// </summary>
    bool IsStale(string checkpoint, DateTimeOffset now) => false;

    /// <summary>Whether the partner takes opinions back (file drops do not).</summary>
    bool TakesOpinions => true;

    /// <summary>Sends opinions; each comes back sent or failed (with whether a retry can help).</summary>
    Task<IReadOnlyList<OpinionResult>> SendOpinionsAsync(ExchangeCall call, IReadOnlyList<OpinionToSend> opinions, CancellationToken ct);
}

/// <summary>What an exchange needs for one call: the partner's settings, the guarded HTTP client and the clock.</summary>
public sealed record ExchangeCall(ExchangePartnerOptions Partner, HttpClient Http, TimeProvider Clock);

/// <summary>
/// One page of a partner's list. <see cref="Checkpoint"/> is where the next fetch resumes; <see cref="More"/> says whether
/// the partner has more now. <see cref="FullSnapshot"/>: the page is the whole list (file drops), so what is missing was deleted.
/// </summary>
public sealed record ExchangePage(IReadOnlyList<ExchangeDelta> Deltas, string Checkpoint, bool More, IReadOnlyList<ExchangeAlert>? Alerts = null, bool FullSnapshot = false);

public enum DeltaKind { Upsert, Delete }

/// <summary>
/// A change to one partner item (an indicator, a TCAP hash record, a CSV row): its signals, labels, attributed group and the
/// partner's own opinion of it. <see cref="Disputed"/>: the partner marks it not malicious (a ThreatExchange descriptor with
/// status NON_MALICIOUS): it is kept, disabled, so it never matches.
/// </summary>
public sealed record ExchangeDelta(string Id, DeltaKind Kind, IReadOnlyList<ExchangeSignal> Signals, IReadOnlyList<string> Labels, string? Entity = null,
    bool Disputed = false, IReadOnlyList<string>? Skipped = null, IReadOnlyList<string>? References = null);

/// <summary>A signal of a partner item in Bulwark's signal type names (<c>md5</c>, <c>sha256</c>, <c>pdq</c>, <c>vpdq</c>, <c>url</c>…).</summary>
public sealed record ExchangeSignal(string SignalType, string Value);

/// <summary>TCAP alert tiers (Tech Against Terrorism's tiered alert system).</summary>
public static class AlertTiers
{
    public const string ThreatToLife = "threat-to-life";
    public const string Crisis = "crisis";
    public const string Designation = "designation";
    public static readonly IReadOnlyList<string> All = [ThreatToLife, Crisis, Designation];
}

/// <summary>A partner found content on this platform: where, attributed to which group, and at which tier.</summary>
public sealed record ExchangeAlert(string Id, string Url, string? Group, string Tier, DateTimeOffset? FoundAt);

public static class Opinions
{
    public const string Agree = "agree";
    public const string Disagree = "disagree";
    public const string FalsePositive = "false_positive";
    public static readonly IReadOnlyList<string> All = [Agree, Disagree, FalsePositive];
}

/// <summary>An opinion about one partner item, with the partner's own references to it (descriptor ids, hash record id).</summary>
public sealed record OpinionToSend(long FeedbackId, string ItemId, string Opinion, IReadOnlyList<string> References, string? SignalType, string? Value);

public sealed record OpinionResult(long FeedbackId, bool Sent, string? Error = null, bool Retryable = true);

/// <summary>A partner could not be read: an HTTP error, a timeout, a malformed page. <see cref="Retryable"/>: the next run may succeed.</summary>
public sealed class ExchangeFetchException(string message, bool retryable = true, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
