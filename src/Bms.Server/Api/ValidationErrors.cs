namespace Bms.Server.Api;

/// <summary>Collects field errors of one request and throws them as a single 400 validation problem.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Adds an error when <paramref name="value"/> is blank or longer than <paramref name="maxLength"/>.</summary>
    public void Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"The {field} field is required.");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"The {field} field must be at most {maxLength} characters.");
        }
    }

    /// <summary>Throws <see cref="ApiException"/> (400) when any error was added.</summary>
    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw ApiException.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }
}
