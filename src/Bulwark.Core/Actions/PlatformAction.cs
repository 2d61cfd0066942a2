using Bulwark.Core.Storage;

namespace Bulwark.Core.Actions;

/// <summary>
/// Something the platform must carry out because of a decision: remove a video, strike or ban an account, restore
/// content after a successful appeal… Actions are the contract between the policy engine (which produces them) and
/// delivery (signed webhooks and the pull feed, which hand them to the platform at least once).
/// </summary>
/// <param name="Kind">What to do, dotted and lowercase: <c>content.remove</c>, <c>content.restrict_regions</c>,
/// <c>content.age_restrict</c>, <c>content.exclude_recommendations</c>, <c>content.label</c>, <c>content.restore</c>,
/// <c>account.warn</c>, <c>account.strike</c>, <c>account.restrict_feature</c>, <c>account.suspend</c>, <c>account.ban</c>,
/// <c>account.reinstate</c>, <c>strike.remove</c>.</param>
/// <param name="TargetType"><c>content</c> or <c>account</c>.</param>
/// <param name="TargetId">The platform's id of the content item or account.</param>
/// <param name="Policy">The policy the action enforces (e.g. <c>VE-GLORIFY</c>), when there is one.</param>
/// <param name="DecisionId">The decision that caused the action, when there is one.</param>
/// <param name="IdempotencyKey">Stable across redeliveries of the same cause, so the platform can apply it once
/// (e.g. <c>decision-42-content.remove</c>). Enqueueing the same key twice records one action.</param>
/// <param name="Details">Action parameters (regions, duration, feature, label text…), as plain strings.</param>
public sealed record PlatformAction(
    string Kind,
    string TargetType,
    string TargetId,
    string? Policy,
    long? DecisionId,
    string IdempotencyKey,
    IReadOnlyDictionary<string, string>? Details = null);

/// <summary>
/// The transactional outbox: <see cref="Enqueue"/> adds the action to <paramref name="db"/>'s unit of work without saving,
/// so the action commits in the same transaction as the decision that caused it, or not at all. Delivery happens later.
/// </summary>
public interface IActionOutbox
{
    void Enqueue(BulwarkDbContext db, PlatformAction action);
}
