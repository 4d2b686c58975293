/* For the Wine 8 prefixes of the Windows build only, never shipped: Windows 10 has
 * bcryptprimitives.dll with ProcessPrng, which cryptography's Rust core (pyHanko's, for
 * ký số) imports; Wine 8 lacks the DLL. This one answers ProcessPrng from advapi32's
 * RtlGenRandom (SystemFunction036), the same system generator. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance; (void)reason; (void)reserved;
    return TRUE;
}
