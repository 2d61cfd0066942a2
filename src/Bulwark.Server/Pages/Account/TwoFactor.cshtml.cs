using Bulwark.Core.Security.Users;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using QRCoder;

namespace Bulwark.Server.Pages.Account;

/// <summary>
/// Enabling the TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s): the shared key, its otpauth URI and a QR code of it,
/// then a current code to prove the app is set up. The QR code is a PNG from this page (no data: URI, no inline markup).
/// Once the second factor is on, the page shows nothing of the key: whoever holds the session could otherwise copy it. A new
/// app is set up by turning the factor off (with the password) and on again.
/// </summary>
public sealed class TwoFactorModel(
    UserManager<ConsoleUser> userManager, SignInManager<ConsoleUser> signIn, ConsoleUserService users, ConsoleUserOptions options, IStringLocalizer<ConsoleText> t)
    : ConsolePageModel
{
    public string Key { get; private set; } = "";
    public string FormattedKey => string.Join(' ', Key.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
    public string Uri { get; private set; } = "";
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() switch
    {
        null => Challenge(),
        { TwoFactorEnabled: true } => AlreadyOn(),
        _ => Page(),
    };

    public async Task<IActionResult> OnGetQrAsync()
    {
        var user = await LoadAsync();
        if (user is null) return Challenge();
        if (user.TwoFactorEnabled) return NotFound();
        using var data = new QRCodeGenerator().CreateQrCode(Uri, QRCodeGenerator.ECCLevel.M);
        return File(new PngByteQRCode(data).GetGraphic(5), "image/png");
    }

    public async Task<IActionResult> OnPostAsync(string? code, CancellationToken ct)
    {
        if (await LoadAsync() is not { } user) return Challenge();
        if (user.TwoFactorEnabled) return AlreadyOn();
        var (outcome, codes) = await users.EnableTwoFactorAsync(user, code ?? "", ct);
        if (!outcome.Succeeded) { Errors.AddRange(outcome.Errors); return Page(); }
        await signIn.RefreshSignInAsync(user);
        RecoveryCodes = codes;
        return Page();
    }

    private RedirectToPageResult AlreadyOn()
    {
        Flash(t["Account.TwoFactor.AlreadyOn"]);
        return RedirectToPage("/Account/Index");
    }

    private async Task<ConsoleUser?> LoadAsync()
    {
        var user = await userManager.GetUserAsync(User);
        if (user is null || user.TwoFactorEnabled) return user;
        Key = await users.AuthenticatorKeyAsync(user);
        var issuer = System.Uri.EscapeDataString(options.TotpIssuer);
        Uri = $"otpauth://totp/{issuer}:{System.Uri.EscapeDataString(user.UserName!)}?secret={Key}&issuer={issuer}&digits=6&period=30";
        return user;
    }
}
