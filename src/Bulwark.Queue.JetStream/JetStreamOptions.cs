using System.ComponentModel.DataAnnotations;

namespace Bulwark.Queue.JetStream;

/// <summary>Bound from <c>Bulwark:Queue:JetStream</c>. Leases (<c>AckWait</c>) and attempts (<c>MaxDeliver</c>) come from <c>Bulwark:Pipeline</c>.</summary>
public sealed class JetStreamOptions
{
    public const string Section = "Bulwark:Queue:JetStream";

    /// <summary>One or more server URLs, comma-separated (e.g. <c>nats://10.0.0.1:4222,nats://10.0.0.2:4222</c>).</summary>
    [Required]
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    [Required, RegularExpression("^[A-Za-z0-9_-]+$", ErrorMessage = "Stream must be letters, digits, '-' or '_'.")]
    public string Stream { get; set; } = "BULWARK_WORK";

    [Required, RegularExpression(@"^[A-Za-z0-9_.-]+$", ErrorMessage = "Subject must be a plain subject without wildcards.")]
    public string Subject { get; set; } = "bulwark.work";

    /// <summary>
    /// Prefix of the subjects on which processes tell each other that banks (<c>.banks</c>) or the entity registry
    /// (<c>.registry</c>) changed; core NATS, outside the work stream.
    /// </summary>
    [Required, RegularExpression(@"^[A-Za-z0-9_.-]+$", ErrorMessage = "ChangesSubject must be a plain subject without wildcards.")]
    public string ChangesSubject { get; set; } = "bulwark.changes";

    /// <summary>The durable pull consumer every worker shares.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_-]+$", ErrorMessage = "Consumer must be letters, digits, '-' or '_'.")]
    public string Consumer { get; set; } = "bulwark-workers";

    /// <summary>Copies of the stream kept by a cluster (1, 3 or 5; at most the number of servers).</summary>
    [Range(1, 5)]
    public int Replicas { get; set; } = 1;

    /// <summary>How long the server remembers message ids to drop a relay's re-publication (a crash between publish and mark).</summary>
    [Range(1, 86_400)]
    public int DuplicateWindowSeconds { get; set; } = 120;

    /// <summary>Messages handed out and not yet acknowledged, over all workers; the consumer's <c>MaxAckPending</c>.</summary>
    [Range(1, 1_000_000)]
    public int MaxAckPending { get; set; } = 20_000;

    /// <summary>Outbox rows published per relay round.</summary>
    [Range(1, 10_000)]
    public int RelayBatchSize { get; set; } = 500;
}
