namespace Bulwark.Server;

/// <summary>
/// Names the Entities pages' strings (the registry browsed and revoked in the console, issue 23 item 6):
/// <c>Resources/EntitiesText.resx</c> (English) and <c>Resources/EntitiesText.it.resx</c> (Italian), keys prefixed <c>Entities_</c>.
/// </summary>
public sealed class EntitiesText;
