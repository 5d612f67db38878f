namespace TestBench.Harness.Algorithmia;

/// <summary>Removes secrets from text that may reach logs, test output or TRX files.</summary>
public sealed class SecretRedactor
{
    private readonly string[] secrets;

    public SecretRedactor(IEnumerable<string?> secrets) =>
        this.secrets = secrets.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4).Select(s => s!).Distinct().OrderByDescending(s => s.Length).ToArray();

    /// <summary>A redactor that knows this one's secrets and <paramref name="other"/>'s (both sides of a comparison).</summary>
    public SecretRedactor With(SecretRedactor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new SecretRedactor([.. secrets, .. other.secrets]);
    }

    /// <summary>A hint that tells keys apart without revealing them: <c>sim4…(29 chars)</c>.</summary>
    public static string Mask(string secret) =>
        string.IsNullOrEmpty(secret) ? "(none)" : $"{secret[..Math.Min(4, secret.Length / 4)]}…({secret.Length} chars)";

    /// <summary>The text with every known secret (also URL-escaped) replaced by a mask.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal)
                .Replace(Uri.EscapeDataString(secret), "***", StringComparison.Ordinal);
        }

        return text;
    }
}
