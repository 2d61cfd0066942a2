namespace Bulwark.Server;

/// <summary>
/// Names the strings of the public notice form and the notices and trusted flaggers pages: <c>Resources/NoticeText.resx</c>
/// (English) and <c>Resources/NoticeText.it.resx</c> (Italian), read through <c>IStringLocalizer&lt;NoticeText&gt;</c>.
/// </summary>
public sealed class NoticeText;
