import { useEffect, useState } from 'react';

/** A confirmation shown for a few seconds, then gone (it never replaces the result count for good). */
export function useToast(ms = 5000): [string | null, (m: string | null) => void] {
  const [toast, setToast] = useState<string | null>(null);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), ms);
    return () => clearTimeout(t);
  }, [toast, ms]);
  return [toast, setToast];
}
