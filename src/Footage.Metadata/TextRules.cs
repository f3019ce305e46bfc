using Footage.ServiceDefaults.Validation;

namespace Footage.Metadata;

/// <summary>Checks shared by every text field the module stores: trimmed, bounded, no control characters.</summary>
internal static class TextRules
{
    /// <summary>The trimmed value, or null (with an error when it was required or invalid).</summary>
    public static string? Check(string? value, string field, int max, bool required, ValidationErrors errors, bool multiline = false)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(field, $"is required: 1 to {max} characters");
            }

            return null;
        }

        if (text.Length > max)
        {
            errors.Add(field, $"must be at most {max} characters");
            return null;
        }

        if (text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            errors.Add(field, "must not contain control characters");
            return null;
        }

        return text;
    }
}
