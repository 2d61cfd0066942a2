namespace Bulwark.Matching.Text;

/// <summary>
/// Simplified, diacritic-free romanisation of lower-case Cyrillic, Greek and Arabic letters, close to
/// BGN/PCGN for Cyrillic and Greek. Arabic is written without short vowels, so "محمد" becomes "mhmd";
/// the name matcher compares such tokens by consonants. Tables written for this project.
/// </summary>
internal static class Transliteration
{
    public static bool IsCyrillic(char c) => c is >= '\u0400' and <= '\u052F';

    public static bool IsGreek(char c) => c is >= '\u0370' and <= '\u03FF';

    public static bool IsArabic(char c) => c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F';

    /// <summary>Latin for a lower-case letter of the three scripts, "" to drop it, null when not covered.</summary>
    public static string? ToLatin(char c) =>
        IsCyrillic(c) ? Cyrillic(c) : IsGreek(c) ? Greek(c) : IsArabic(c) ? Arabic(c) : null;

    private static string? Cyrillic(char c) => c switch
    {
        'а' => "a", 'б' => "b", 'в' => "v", 'г' => "g", 'д' => "d", 'е' => "e", 'ё' => "e", 'ж' => "zh",
        'з' => "z", 'и' => "i", 'й' => "y", 'к' => "k", 'л' => "l", 'м' => "m", 'н' => "n", 'о' => "o",
        'п' => "p", 'р' => "r", 'с' => "s", 'т' => "t", 'у' => "u", 'ф' => "f", 'х' => "kh", 'ц' => "ts",
        'ч' => "ch", 'ш' => "sh", 'щ' => "shch", 'ъ' => "", 'ы' => "y", 'ь' => "", 'э' => "e", 'ю' => "yu",
        'я' => "ya", 'і' => "i", 'ї' => "yi", 'є' => "ye", 'ґ' => "g", 'ў' => "u", 'ј' => "j", 'љ' => "lj",
        'њ' => "nj", 'ћ' => "c", 'ђ' => "dj", 'џ' => "dz", 'ѕ' => "dz", 'ә' => "a", 'ө' => "o", 'ү' => "u",
        'ұ' => "u", 'қ' => "q", 'ғ' => "gh", 'ң' => "ng", 'һ' => "h", 'ӏ' => "l",
        _ => null,
    };

    private static string? Greek(char c) => c switch
    {
        'α' => "a", 'β' => "v", 'γ' => "g", 'δ' => "d", 'ε' => "e", 'ζ' => "z", 'η' => "i", 'θ' => "th",
        'ι' => "i", 'κ' => "k", 'λ' => "l", 'μ' => "m", 'ν' => "n", 'ξ' => "x", 'ο' => "o", 'π' => "p",
        'ρ' => "r", 'σ' => "s", 'ς' => "s", 'τ' => "t", 'υ' => "y", 'φ' => "f", 'χ' => "ch", 'ψ' => "ps",
        'ω' => "o", 'ϲ' => "s", 'ϳ' => "j",
        _ => null,
    };

    // Hamza carriers and alif variants all read as a vowel; ayn and hamza are dropped, as most
    // English-language romanisations of names do (Abd al-Aziz, not ʿAbd al-ʿAzīz).
    private static string? Arabic(char c) => c switch
    {
        'ا' or 'أ' or 'آ' or 'ٱ' or 'ى' => "a", 'إ' => "i", 'ء' or 'ع' or 'ـ' => "", 'ؤ' => "u", 'ئ' => "i",
        'ب' => "b", 'ت' => "t", 'ث' => "th", 'ج' => "j", 'ح' => "h", 'خ' => "kh", 'د' => "d", 'ذ' => "dh",
        'ر' => "r", 'ز' => "z", 'س' => "s", 'ش' => "sh", 'ص' => "s", 'ض' => "d", 'ط' => "t", 'ظ' => "z",
        'غ' => "gh", 'ف' => "f", 'ق' => "q", 'ك' or 'ک' => "k", 'ل' => "l", 'م' => "m", 'ن' => "n",
        'ه' or 'ہ' or 'ھ' => "h", 'ة' => "a", 'و' => "w", 'ي' or 'ی' or 'ې' => "y", 'پ' => "p", 'چ' => "ch",
        'ژ' => "zh", 'گ' => "g", 'ڤ' => "v", 'ټ' => "t", 'ډ' => "d", 'ړ' => "r", 'ښ' => "sh", 'ګ' => "g",
        'ڼ' => "n", 'ږ' => "zh", 'ځ' => "dz", 'څ' => "ts",
        _ => null,
    };
}
