using System.Security.Cryptography;
using Bms.Pos.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Tests;

public sealed class DataFileDamageTests
{
    public static TheoryData<string> Damages => ["garbage", "truncated-half", "truncated-header", "corrupted-page"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task ADamagedDataFileIsRefusedWithAClearMessageAndExitCodeInBothModesAndNeverChanged(string damage)
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await bed.FirstStartAsync();
        using (var sold = await TerminalProcess.RunAsync(bed.Args(bed.Server.Url, "--sell", "COF-001:1", "--count", "3")))
        {
            sold.AssertSucceeded();
        }

        await CheckpointAsync(bed.DataPath);
        Damage(bed.DataPath, damage);
        var before = Checksum(bed.DataPath);

        using var scripted = await TerminalProcess.RunAsync(bed.Args(null, "--status"));
        using var screen = await TerminalProcess.RunAsync(bed.Args());

        Assert.Equal(65, scripted.ExitCode);
        var error = scripted.Event("error");
        Assert.Equal("data_file_damaged", error.GetProperty("code").GetString());
        Assert.Contains(bed.DataPath, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", scripted.StandardError, StringComparison.Ordinal);
        Assert.Equal(65, screen.ExitCode);
        Assert.Contains("is damaged", screen.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", screen.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, Checksum(bed.DataPath));
        Assert.False(File.Exists(bed.DataPath + "-wal") && new FileInfo(bed.DataPath + "-wal").Length > 0);
    }

    private static async Task CheckpointAsync(string path)
    {
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync().WaitAsync(TestTimeouts.Short);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;";
            await command.ExecuteNonQueryAsync().WaitAsync(TestTimeouts.Short);
        }

        SqliteConnection.ClearAllPools();
    }

    private static void Damage(string path, string damage)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length >= 8 * 4096, $"the data file has only {bytes.Length} bytes");
        switch (damage)
        {
            case "garbage":
                RandomNumberGenerator.Fill(bytes);
                File.WriteAllBytes(path, bytes);
                break;
            case "truncated-half":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "truncated-header":
                File.WriteAllBytes(path, bytes[..50]);
                break;
            case "corrupted-page":
                // Page 2 onwards holds table b-trees: scribble over the middle of the file, keep the header valid.
                RandomNumberGenerator.Fill(bytes.AsSpan(4096, bytes.Length / 2));
                File.WriteAllBytes(path, bytes);
                break;
        }
    }

    private static string Checksum(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
