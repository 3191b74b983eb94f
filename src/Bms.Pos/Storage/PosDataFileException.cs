namespace Bms.Pos.Storage;

/// <summary>
/// The terminal's data file is not a usable SQLite database (not a database, truncated or corrupted). Thrown by
/// <see cref="SqliteSyncStore.VerifyFileAsync"/> and <see cref="SqliteSyncStore.InitializeAsync"/> before anything is
/// written, so the file is left exactly as it was for recovery.
/// </summary>
public sealed class PosDataFileException(string path, string reason, Exception? innerException = null)
    : Exception($"The data file {path} is damaged ({reason}). It was left untouched: restore it from a backup, or "
        + "move it aside and start with another --data file (sales not yet synced are in the damaged file).", innerException)
{
    /// <summary>The full path of the damaged file.</summary>
    public string Path { get; } = path;

    /// <summary>What SQLite reported, in short.</summary>
    public string Reason { get; } = reason;
}
