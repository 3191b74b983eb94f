namespace Bms.Server.Auth;

/// <summary>Why a token was refused.</summary>
internal enum TokenFailure
{
    None = 0,
    Missing = 1,
    Invalid = 2,
    Expired = 3,
}
