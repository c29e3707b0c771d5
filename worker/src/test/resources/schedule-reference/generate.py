#!/usr/bin/python3
"""Reference values for the scheduler tests, computed in float64 straight from the published definitions.

Written independently of the Java code (and of diffusers' code): standard library only, plain loops.
  - scaled_linear betas: beta_t = (sqrt(b0) + t/(T-1) * (sqrt(b1) - sqrt(b0)))^2, alpha-bar_t = prod (1 - beta)
  - sigma_t = sqrt((1 - alpha-bar_t) / alpha-bar_t)                       (VE noise level of a VP model)
  - spacing "leading": t_i = i * (T // n) + offset; "trailing": round(T - i*T/n) - 1;
    "linspace": i * (T-1)/(n-1)  (sigmas linearly interpolated between integer timesteps)
  - Euler (Karras et al. 2022, Alg. 1 without churn): x <- x + eps * (sigma_next - sigma)
  - DDIM (Song et al. 2021, eq. 12, eta = 0): x <- sqrt(ab_prev) x0_hat + sqrt(1 - ab_prev) eps,
    x0_hat = (x - sqrt(1 - ab) eps) / sqrt(ab); ab_prev of the step after t=stride-1.. is ab_0
  - Ancestral Euler (k-diffusion): sigma_up = sqrt(s_to^2 (s_from^2 - s_to^2) / s_from^2),
    sigma_down = sqrt(s_to^2 - sigma_up^2)
  - Karras sigmas (Karras et al. 2022, eq. 5, rho = 7) between sigma_0 and sigma_{T-1}; timestep of a sigma =
    position of log(sigma) in the table of log(sigma_t), linearly interpolated, rounded half to even
  - DPM-Solver++(2M) (Lu et al. 2022, Alg. 2): alpha = 1/sqrt(1+k^2), s = k alpha, lambda = log(alpha/s),
    D = (1 + 1/(2r)) x0_i - 1/(2r) x0_{i-1}, x <- (s_next/s) x - alpha_next (e^-h - 1) D; first and last steps
    first order (D = x0_i)
Trajectories use a synthetic model eps_j = 0.6 * u_j + 0.3 * cos(0.7 j + 0.3 i), u = the model input of step i.

Run:  /usr/bin/python3 generate.py > reference.txt
"""
import math

T = 1000
B0, B1 = 0.00085, 0.012
OFFSET = 1


def training():
    r0, r1 = math.sqrt(B0), math.sqrt(B1)
    betas = [(r0 + t / (T - 1) * (r1 - r0)) ** 2 for t in range(T)]
    ab, acc = [], 1.0
    for b in betas:
        acc *= 1.0 - b
        ab.append(acc)
    sig = [math.sqrt((1 - a) / a) for a in ab]
    return ab, sig


AB, SIG = training()


def sigma_at(t):
    if t <= 0:
        return SIG[0]
    if t >= T - 1:
        return SIG[T - 1]
    j = int(math.floor(t))
    return SIG[j] + (t - j) * (SIG[j + 1] - SIG[j])


def timesteps(n, spacing):
    if spacing == "leading":
        return [float(i * (T // n) + OFFSET) for i in reversed(range(n))]
    if spacing == "trailing":
        return [float(round(T - i * T / n) - 1) for i in range(n)]
    if n == 1:
        return [0.0]
    return [float(i * (T - 1) / (n - 1)) for i in reversed(range(n))]


def euler_schedule(n, spacing):
    ts = timesteps(n, spacing)
    sig = [sigma_at(t) for t in ts] + [0.0]
    smax = max(sig)
    init = smax if spacing in ("trailing", "linspace") else math.sqrt(smax * smax + 1)
    return ts, sig, init


def model(u, i):
    return [0.6 * u[j] + 0.3 * math.cos(0.7 * j + 0.3 * i) for j in range(len(u))]


X_START = [0.9, -1.3, 0.25, 2.1, -0.4, 0.05]


def euler_trajectory(n):
    ts, sig, _ = euler_schedule(n, "leading")
    x, rows = list(X_START), []
    for i in range(n):
        u = [v / math.sqrt(sig[i] ** 2 + 1) for v in x]
        eps = model(u, i)
        x = [x[j] + eps[j] * (sig[i + 1] - sig[i]) for j in range(len(x))]
        rows.append(list(x))
    return rows


def ddim_coefficients(n):
    ts = [int(t) for t in timesteps(n, "leading")]
    stride = T // n
    ab_t = [AB[t] for t in ts]
    ab_prev = [AB[t - stride] if t - stride >= 0 else AB[0] for t in ts]
    return ts, ab_t, ab_prev


def ddim_trajectory(n):
    _, ab_t, ab_prev = ddim_coefficients(n)
    x, rows = list(X_START), []
    for i in range(n):
        eps = model(x, i)
        x0 = [(x[j] - math.sqrt(1 - ab_t[i]) * eps[j]) / math.sqrt(ab_t[i]) for j in range(len(x))]
        x = [math.sqrt(ab_prev[i]) * x0[j] + math.sqrt(1 - ab_prev[i]) * eps[j] for j in range(len(x))]
        rows.append(list(x))
    return rows


def ancestral(n):
    _, sig, _ = euler_schedule(n, "leading")
    ups, downs = [], []
    for i in range(n):
        f, t = sig[i], sig[i + 1]
        up = math.sqrt(t * t * (f * f - t * t) / (f * f))
        ups.append(up)
        downs.append(math.sqrt(t * t - up * up))
    return ups, downs


def karras(n):
    lo, hi = SIG[0] ** (1 / 7), SIG[T - 1] ** (1 / 7)
    ramp = [0.0] if n == 1 else [i / (n - 1) for i in range(n)]
    sig = [(hi + r * (lo - hi)) ** 7 for r in ramp]
    logs = [math.log(s) for s in SIG]
    ts = []
    for s in sig:
        ls = math.log(s)
        k = max([t for t in range(T) if logs[t] <= ls] or [0])
        k = min(k, T - 2)
        w = min(1.0, max(0.0, (logs[k] - ls) / (logs[k] - logs[k + 1])))
        ts.append(float(round(k + w)))
    return ts, sig + [0.0]


def euler_karras(n):
    """Euler with use_karras_sigmas: Karras sigmas between the first and last spaced (leading) sigma; each
    timestep is the unrounded log-sigma position of its sigma."""
    spaced = [sigma_at(t) for t in timesteps(n, "leading")]
    lo, hi = spaced[-1] ** (1 / 7), spaced[0] ** (1 / 7)
    ramp = [0.0] if n == 1 else [i / (n - 1) for i in range(n)]
    sig = [(hi + r * (lo - hi)) ** 7 for r in ramp]
    logs = [math.log(s) for s in SIG]
    ts = []
    for s in sig:
        ls = math.log(s)
        k = min(max([t for t in range(T) if logs[t] <= ls] or [0]), T - 2)
        w = min(1.0, max(0.0, (logs[k] - ls) / (logs[k] - logs[k + 1])))
        ts.append(k + w)
    return ts, sig + [0.0]


def cosine_alphas_cumprod():
    """squaredcos_cap_v2 (Nichol and Dhariwal 2021): beta_i = min(1 - f((i+1)/T) / f(i/T), 0.999)."""
    f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
    acc, out = 1.0, []
    for i in range(T):
        acc *= 1 - min(1 - f((i + 1) / T) / f(i / T), 0.999)
        out.append(acc)
    return out


def ddim_clipped_trajectory(n, bound):
    _, ab_t, ab_prev = ddim_coefficients(n)
    ab_prev[-1] = 1.0  # set_alpha_to_one
    x, rows = [3 * v for v in X_START], []
    for i in range(n):
        eps = model(x, i)
        x0 = [(x[j] - math.sqrt(1 - ab_t[i]) * eps[j]) / math.sqrt(ab_t[i]) for j in range(len(x))]
        x0 = [min(bound, max(-bound, v)) for v in x0]
        x = [math.sqrt(ab_prev[i]) * x0[j] + math.sqrt(1 - ab_prev[i]) * eps[j] for j in range(len(x))]
        rows.append(list(x))
    return rows


def dpm_trajectory(n):
    _, k = karras(n)
    alpha = [1 / math.sqrt(1 + s * s) for s in k]
    sd = [k[i] * alpha[i] for i in range(n + 1)]
    lam = [math.log(alpha[i] / sd[i]) if sd[i] > 0 else math.inf for i in range(n + 1)]
    x, rows, prev0 = list(X_START), [], None
    for i in range(n):
        eps = model(x, i)
        x0 = [(x[j] - sd[i] * eps[j]) / alpha[i] for j in range(len(x))]
        if i == n - 1:
            x = list(x0)  # sigma 0: the first-order update lands on the data prediction
        else:
            h = lam[i + 1] - lam[i]
            if i == 0:
                d = x0
            else:
                r = (lam[i] - lam[i - 1]) / h
                d = [(1 + 1 / (2 * r)) * x0[j] - 1 / (2 * r) * prev0[j] for j in range(len(x))]
            x = [sd[i + 1] / sd[i] * x[j] - alpha[i + 1] * (math.exp(-h) - 1) * d[j] for j in range(len(x))]
        prev0 = x0
        rows.append(list(x))
    return rows


def emit(key, values):
    print(key + " " + " ".join(repr(float(v)) for v in values))


def main():
    print("# generated by generate.py (float64 reference from the definitions); key value...")
    probe = [0, 1, 500, 981, 999]
    emit("training.t", probe)
    emit("training.alphas_cumprod", [AB[t] for t in probe])
    emit("training.sigmas", [SIG[t] for t in probe])
    for n, spacing in [(50, "leading"), (7, "leading"), (25, "trailing"), (25, "linspace"), (1, "leading")]:
        ts, sig, init = euler_schedule(n, spacing)
        emit(f"euler.{spacing}.{n}.timesteps", ts)
        emit(f"euler.{spacing}.{n}.sigmas", sig)
        emit(f"euler.{spacing}.{n}.init_noise_sigma", [init])
    for n in (50, 7):
        ts, ab_t, ab_prev = ddim_coefficients(n)
        emit(f"ddim.leading.{n}.timesteps", ts)
        emit(f"ddim.leading.{n}.alpha_t", ab_t)
        emit(f"ddim.leading.{n}.alpha_prev", ab_prev)
    ups, downs = ancestral(10)
    emit("euler_a.leading.10.sigma_up", ups)
    emit("euler_a.leading.10.sigma_down", downs)
    for n in (30, 7, 1):
        ts, sig = karras(n)
        emit(f"karras.{n}.timesteps", ts)
        emit(f"karras.{n}.sigmas", sig)
    for n in (10, 1):
        ts, sig = euler_karras(n)
        emit(f"euler_karras.leading.{n}.timesteps", ts)
        emit(f"euler_karras.leading.{n}.sigmas", sig)
    ts, sig, _ = euler_schedule(7, "leading")
    emit("euler.sigma_min.leading.7.sigmas", sig[:-1] + [SIG[0]])
    cosine = cosine_alphas_cumprod()
    emit("cosine.alphas_cumprod", [cosine[t] for t in probe])
    emit("trajectory.start", X_START)
    for name, rows in [("euler.10", euler_trajectory(10)), ("ddim.10", ddim_trajectory(10)),
                       ("dpmpp_2m_karras.10", dpm_trajectory(10)), ("dpmpp_2m_karras.20", dpm_trajectory(20)),
                       ("ddim_alpha_one_clip_1.5.10", ddim_clipped_trajectory(10, 1.5))]:
        for i, row in enumerate(rows):
            emit(f"trajectory.{name}.{i}", row)


if __name__ == "__main__":
    main()
