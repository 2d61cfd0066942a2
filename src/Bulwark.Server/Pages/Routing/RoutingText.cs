namespace Bulwark.Server;

/// <summary>
/// Names the Routing pages' strings (queues and routing managed by policy admins, issue 23 item 5):
/// <c>Resources/RoutingText.resx</c> (English) and <c>Resources/RoutingText.it.resx</c> (Italian), keys prefixed <c>Routing_</c>.
/// </summary>
public sealed class RoutingText;
