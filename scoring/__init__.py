"""The engine of 技改专项贷赛马评价平台: every rule, figure and output (pages draw, `scoring` decides).

Importing it sets one process-wide default before any work is done: numpy does not ask the kernel for
transparent huge pages on its large arrays (`MADV_HUGEPAGE`), unless NUMPY_MADVISE_HUGEPAGE in the
environment says otherwise. Where the kernel's `defrag` setting is `madvise` (the mainline default, and
this machine's), a huge page faulted in on fragmented memory waits for compaction; a server that holds a
large database file in its page cache fragments it. At 3,000,000 loans, turning it off took the "3个1"
listing as a frame from 5.3–5.8 s to 4.0–4.3 s and its kernel CPU from 3.2–3.5 s to 2.0–2.3 s; at
1,000,000 nothing changed beyond noise (README, twenty-first pass). numpy reads the variable only when it
is imported, and Streamlit imports it before the app's code, hence the runtime switch.
"""

import os

import numpy as np

if "NUMPY_MADVISE_HUGEPAGE" not in os.environ:
    np._core.multiarray._set_madvise_hugepage(False)
