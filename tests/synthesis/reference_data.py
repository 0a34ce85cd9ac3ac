"""Published data sets and reference results used by the synthesis tests.

BCG vaccine trials (Colditz et al. 1994), metafor's ``dat.bcg``: columns tpos, tneg,
cpos, cneg. Sources of the rows: the dataset listing printed on
https://metafor-project.org/doku.php/analyses:vanhouwelingen2002 (rows 1-7, same
trials as dat.colditz1994), the dat.bcg print-out on
https://shixiangwang.github.io/home/cn/post/2019-11-20-use-metafor (rows 1-10), and
for rows 11-13 the fact that metafor's published fits below (Q, tau², estimates to
4 decimals) are reproduced only when every one of the 52 counts is right.
"""

from __future__ import annotations

BCG: tuple[tuple[str, int, int, int, int], ...] = (
    ("Aronson 1948", 4, 119, 11, 128),
    ("Ferguson & Simes 1949", 6, 300, 29, 274),
    ("Rosenthal et al 1960", 3, 228, 11, 209),
    ("Hart & Sutherland 1977", 62, 13536, 248, 12619),
    ("Frimodt-Moller et al 1973", 33, 5036, 47, 5761),
    ("Stein & Aronson 1953", 180, 1361, 372, 1079),
    ("Vandiviere et al 1973", 8, 2537, 10, 619),
    ("TPT Madras 1980", 505, 87886, 499, 87892),
    ("Coetzee & Berjak 1968", 29, 7470, 45, 7232),
    ("Rosenthal et al 1961", 17, 1699, 65, 1600),
    ("Comstock et al 1974", 186, 50448, 141, 27197),
    ("Comstock & Webster 1969", 5, 2493, 3, 2338),
    ("Comstock et al 1976", 27, 16886, 29, 17825),
)

#: metafor's own test file, wviechtb/metafor
#: tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r (rma vs Stata metan).
METAN_BCG = {
    ("RR", "FE"): {
        "estimate": -0.4303,
        "ci_low": -0.5097,
        "ci_high": -0.3509,
        "z": -10.6247,
        "q": 152.2330,
    },
    ("RR", "DL"): {
        "estimate": -0.7141,
        "ci_low": -1.0644,
        "ci_high": -0.3638,
        "z": -3.9952,
        "tau2": 0.3088,
        "i2": 92.1173,
    },
    ("OR", "FE"): {
        "estimate": -0.4361,
        "ci_low": -0.5190,
        "ci_high": -0.3533,
        "z": -10.3190,
        "q": 163.1649,
    },
    ("OR", "DL"): {
        "estimate": -0.7474,
        "ci_low": -1.1242,
        "ci_high": -0.3706,
        "z": -3.8873,
        "tau2": 0.3663,
        "i2": 92.6455,
    },
    ("RD", "FE"): {
        "estimate": -0.0009,
        "ci_low": -0.0014,
        "ci_high": -0.0005,
        "z": -4.0448,
        "q": 276.4737,
    },
    ("RD", "DL"): {
        "estimate": -0.0071,
        "ci_low": -0.0101,
        "ci_high": -0.0040,
        "z": -4.5128,
        "tau2": 0.0000,
        "i2": 95.6596,
    },
}

#: metafor print-out of rma(yi, vi, data=dat) with dat <- escalc("RR", ..., dat.bcg),
#: default method REML, as shown on
#: https://cttir.github.io/courses/course3_design_causal/labs/lab_week4_session2_slides.html
REML_BCG_RR = {
    "estimate": -0.7145,
    "se": 0.1798,
    "z": -3.9744,
    "ci_low": -1.0669,
    "ci_high": -0.3622,
    "tau2": 0.3132,
    "i2": 92.22,
    "h2": 12.86,
    "q": 152.2330,
}
