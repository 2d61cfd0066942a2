namespace Bulwark.Server;

/// <summary>
/// Names the console's strings: <c>Resources/ConsoleText.resx</c> (English) and <c>Resources/ConsoleText.it.resx</c> (Italian),
/// read through <c>IStringLocalizer&lt;ConsoleText&gt;</c>. Pages added later keep their strings in resource files of their own.
/// </summary>
public sealed class ConsoleText;
