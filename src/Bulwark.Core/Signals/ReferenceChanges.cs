namespace Bulwark.Core.Signals;

/// <summary>What changed: the hash banks (the PDQ index follows them) or the entity registry (the screening matcher follows it).</summary>
public enum ReferenceData { Banks, Registry }

/// <summary>
/// Tells the other processes of a deployment that banks or the registry changed, so their PDQ index and entity matcher
/// refresh at once instead of at their next poll. Best effort and never blocking: a notice that is lost (broker down, a
/// process not yet subscribed) is made up for by the database polling every process keeps as its fallback
/// (<c>Bulwark:KnownContent:IndexRefreshSeconds</c>, <c>Bulwark:Entities:RefreshSeconds</c>). With the database queue there is
/// no broker and this does nothing; with JetStream the notice goes out on a NATS subject (Bulwark.Queue.JetStream).
/// </summary>
public interface IReferenceChangeNotices
{
    void Changed(ReferenceData what);
}

/// <summary>A single process (or the database queue): nobody to tell; polling is how other processes learn of changes.</summary>
public sealed class NoReferenceChangeNotices : IReferenceChangeNotices
{
    public void Changed(ReferenceData what) { }
}
