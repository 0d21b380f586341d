"""A character-level GPT (after Karpathy's nanoGPT) learns nursery rhymes, then writes some.

The model reads 32 characters and predicts each next one: token and position
embeddings, two transformer blocks (pre-LayerNorm, causal self-attention written out
with matmuls and a masked softmax, a GELU MLP), a final LayerNorm and a linear head.
Training uses AdamW with gradient clipping; afterwards the model samples new text.
The training text is examples/data/nursery_rhymes.txt (public domain; see the
README there).

Run:  python examples/char_gpt.py [--backend minitorch|torch] [--steps 500]
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_backend, numpy_init_, parser  # noqa: E402

TEXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "nursery_rhymes.txt")


def build(torch, vocab_size, block_size=32, n_embd=48, n_head=4, n_layer=2):
    nn, F = torch.nn, torch.nn.functional

    class CausalSelfAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = nn.Linear(n_embd, 3 * n_embd)   # queries, keys, values in one matmul
            self.proj = nn.Linear(n_embd, n_embd)
            # mask[i, j] is True where position i may look at position j (j <= i).
            self.register_buffer("mask", torch.tril(torch.ones(block_size, block_size,
                                                               dtype=torch.bool)))

        def forward(self, x):
            B, T, C = x.shape
            q, k, v = self.qkv(x).split(n_embd, dim=2)
            # (B, T, C) -> (B, heads, T, head size): every head attends independently.
            q, k, v = (t.view(B, T, n_head, C // n_head).transpose(1, 2) for t in (q, k, v))
            att = q @ k.transpose(-2, -1) / math.sqrt(C // n_head)
            # No peeking at the future: -inf scores become zero weights after softmax.
            att = att.masked_fill(~self.mask[:T, :T], float("-inf"))
            att = F.softmax(att, dim=-1)
            y = (att @ v).transpose(1, 2).reshape(B, T, C)
            return self.proj(y)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1 = nn.LayerNorm(n_embd)
            self.attn = CausalSelfAttention()
            self.ln2 = nn.LayerNorm(n_embd)
            self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(),
                                     nn.Linear(4 * n_embd, n_embd))

        def forward(self, x):
            # Residual connections: each sublayer adds a correction to the stream.
            x = x + self.attn(self.ln1(x))
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.block_size = block_size
            self.tok_emb = nn.Embedding(vocab_size, n_embd)
            self.pos_emb = nn.Embedding(block_size, n_embd)
            self.blocks = nn.Sequential(*[Block() for _ in range(n_layer)])
            self.ln_f = nn.LayerNorm(n_embd)
            self.head = nn.Linear(n_embd, vocab_size)

        def forward(self, idx, targets=None):
            T = idx.shape[1]
            x = self.tok_emb(idx) + self.pos_emb(torch.arange(T))
            logits = self.head(self.ln_f(self.blocks(x)))
            if targets is None:
                return logits, None
            return logits, F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1))

        @torch.no_grad()
        def generate(self, idx, new_tokens, temperature=0.8):
            for _ in range(new_tokens):
                logits, _ = self(idx[:, -self.block_size:])
                probs = F.softmax(logits[:, -1] / temperature, dim=-1)
                idx = torch.cat([idx, torch.multinomial(probs, 1)], dim=1)
            return idx

    return GPT()


def main(backend="minitorch", steps=500, batch_size=16, lr=3e-3, seed=0, sample_chars=300):
    """Train for `steps` steps, then sample; returns the training loss at each step."""
    torch = load_backend(backend)
    text = open(TEXT, encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = np.array([stoi[c] for c in text])
    # Hold out the last tenth to see whether the model generalises or memorises.
    n_train = len(data) * 9 // 10
    train_data, val_data = data[:n_train], data[n_train:]

    model = numpy_init_(build(torch, len(chars)), seed)
    block_size = model.block_size
    n_params = sum(p.numel() for p in model.parameters())
    print(f"backend: {backend}   {len(text)} characters, vocabulary {len(chars)}, "
          f"{n_params} parameters")

    rng = np.random.default_rng(seed)  # NumPy picks the batches: the same for both backends

    def batch(split):
        source = train_data if split == "train" else val_data
        starts = rng.integers(0, len(source) - block_size - 1, batch_size)
        x = np.stack([source[s:s + block_size] for s in starts])
        y = np.stack([source[s + 1:s + block_size + 1] for s in starts])
        return torch.tensor(x), torch.tensor(y)

    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    history = []
    for step in range(steps):
        x, y = batch("train")
        _, loss = model(x, y)
        optimizer.zero_grad()
        loss.backward()
        # Clipping the gradient's total norm keeps an unlucky batch from wrecking the model.
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        history.append(loss.item())
        if step % 50 == 0 or step == steps - 1:
            print(f"step {step:>4}  loss {loss.item():.4f}")

    model.eval()
    with torch.no_grad():
        _, val_loss = model(*batch("val"))
    print(f"held-out loss {val_loss.item():.4f} "
          f"(a uniform guess scores ln {len(chars)} = {math.log(len(chars)):.2f})")

    if sample_chars:
        # Sampling draws from torch's random stream, so the two backends write different text.
        torch.manual_seed(seed)
        start = torch.tensor([[stoi["\n"]]])
        out = model.generate(start, sample_chars)[0].tolist()
        print("sample:\n" + "".join(chars[i] for i in out))
    return history


if __name__ == "__main__":
    p = parser(__doc__)
    p.add_argument("--steps", type=int, default=500)
    args = p.parse_args()
    main(args.backend, args.steps)
