"""The workloads written the PyTorch way: nn.Sequential, torch.optim and a manual loop.

Models output logits and the loss takes them (CrossEntropyLoss, BCEWithLogitsLoss), as
PyTorch code does; the math is the Keras models'. Batches are index slices of a
shuffled permutation, which is idiomatic and faster than a DataLoader for in-memory
tensors. Threads: torch's default (reported), as the other frameworks use theirs.
"""

import time
from itertools import pairwise

import torch
import torch.utils.data
from torch import nn

import common


class MeanOverTime(nn.Module):
    """GlobalAveragePooling1D: mean over the sequence axis (padding included, as Keras)."""

    def forward(self, x):
        return x.mean(dim=1)


class LastStateLSTM(nn.Module):
    """Embedding -> nn.LSTM -> Dense on the last hidden state (Keras's LSTM(32) model)."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(10_000, 32)
        self.lstm = nn.LSTM(32, 32, batch_first=True)
        self.dense = nn.Linear(32, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(self.embedding(x))
        return self.dense(h[-1])


def build(name):
    """(model, optimizer, loss function) as a PyTorch user writes them."""
    if name == "house":
        model = nn.Linear(1, 1)
        return model, torch.optim.SGD(model.parameters(), lr=0.01), nn.L1Loss()
    if name == "xor":
        model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
        return model, torch.optim.Adam(model.parameters(), lr=0.1), nn.BCEWithLogitsLoss()
    if name == "imdb":
        model = nn.Sequential(
            nn.Embedding(10_000, 16),
            MeanOverTime(),
            nn.Linear(16, 16),
            nn.ReLU(),
            nn.Linear(16, 1),
        )
        return model, torch.optim.Adam(model.parameters()), nn.BCEWithLogitsLoss()
    if name == "lstm":
        model = LastStateLSTM()
        # Keras's RMSprop defaults (torch's own are lr=0.01, alpha=0.99, eps=1e-8)
        optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
        return model, optimizer, nn.BCEWithLogitsLoss()
    if name == "convnet":  # Keras's simple MNIST convnet, channels first as torch computes
        model = nn.Sequential(
            nn.Conv2d(1, 32, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Dropout(0.5),
            nn.Linear(1600, 10),
        )
        return model, torch.optim.Adam(model.parameters()), nn.CrossEntropyLoss()
    widths = [784, *common.WORKLOADS[name]["units"]]
    layers = []
    for a, b in pairwise(widths):
        layers += [nn.Linear(a, b), nn.ReLU()]
    model = nn.Sequential(*layers[:-1])  # no ReLU after the logits
    # SGD(0.01) and Adam's default, as in Keras; mnist-functional is mnist-mlp's network
    sgd = name.startswith("mnist-mlp") or name == "mnist-functional"
    lr = 0.01 if sgd else 0.001
    optimizer_class = torch.optim.SGD if sgd else torch.optim.Adam
    return model, optimizer_class(model.parameters(), lr=lr), nn.CrossEntropyLoss()


def correct(out, y):
    """Right answers in a batch: the accuracy metric the Keras models also track."""
    if out.shape[1] == 1:
        return ((out > 0).float() == y).sum().item()
    return (out.argmax(1) == y).sum().item()


def index_batches(x, y, batch):
    order = torch.randperm(len(x))
    for start in range(0, len(x), batch):
        idx = order[start : start + batch]
        yield x[idx], y[idx]


def train_epoch(model, optimizer, loss_fn, batches, classify):
    model.train()
    total = hits = seen = 0.0
    for xb, yb in batches:
        optimizer.zero_grad()
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(yb)
        seen += len(yb)
        if classify:
            hits += correct(out, yb)
    return total / seen, hits / seen


@torch.inference_mode()
def evaluate(model, loss_fn, x, y, batch):
    model.eval()
    total = hits = 0.0
    for start in range(0, len(x), batch):
        out = model(x[start : start + batch])
        total += loss_fn(out, y[start : start + batch]).item() * len(out)
        hits += correct(out, y[start : start + batch])
    return total / len(x), hits / len(x)


def main():
    args = common.cli("the benchmark workloads in PyTorch")
    torch.manual_seed(0)
    batch = common.WORKLOADS[args.workload]["batch"]
    x, y, validation, test = common.load(args.workload)
    if x.ndim == 4:  # images come channels last (as Keras takes them); torch wants NCHW

        def to_torch(a):
            return torch.from_numpy(a.transpose(0, 3, 1, 2).copy() if a.ndim == 4 else a)

    else:
        to_torch = torch.from_numpy
    x, y = to_torch(x), to_torch(y)
    validation = validation and tuple(map(to_torch, validation))
    test = test and tuple(map(to_torch, test))
    model, optimizer, loss_fn = build(args.workload)
    classify = args.workload != "house"
    loader = None
    if common.WORKLOADS[args.workload].get("pipeline"):  # the input-pipeline idiom
        dataset = torch.utils.data.TensorDataset(x, y)
        loader = torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True)

    times = []
    rss_before = common.training_starts()
    for _ in range(args.epochs):
        start = time.perf_counter()
        batches = loader if loader is not None else index_batches(x, y, batch)
        loss, _ = train_epoch(model, optimizer, loss_fn, batches, classify)
        if validation is not None:
            evaluate(model, loss_fn, *validation, batch)
        times.append(time.perf_counter() - start)
    result = dict(
        framework="torch",
        version=f"torch {torch.__version__}",
        threads=torch.get_num_threads(),
        epoch_times=times,
        final_loss=loss,
        rss_before_fit_mb=rss_before,
        peak_rss_mb=common.training_peak(),
    )
    if test is not None:
        result["test_accuracy"] = evaluate(model, loss_fn, *test, batch)[1]
    if args.workload == "mnist-mlp":
        sample = test[0][:1]

        @torch.inference_mode()
        def predict(v):
            return model(v)

        result["predict_us"] = {
            "model(x) in torch.inference_mode()": common.latency_us(predict, sample)
        }
    common.report(args, result)


if __name__ == "__main__":
    main()
