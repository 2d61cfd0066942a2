namespace Bulwark.Server;

/// <summary>
/// Names the review pages' strings (queues, cases, QA, appeals, wellness): <c>Resources/ReviewText.resx</c> (English) and
/// <c>Resources/ReviewText.it.resx</c> (Italian), read through <c>IStringLocalizer&lt;ReviewText&gt;</c>.
/// </summary>
public sealed class ReviewText;
