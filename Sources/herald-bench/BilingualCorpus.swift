// A bilingual archive for the whole-process figures: the sample corpus's English posts, copied
// under names of their own, and as many Chinese posts made here from a fixed pool of sentences,
// with the same kinds of Markdown (headings, nested lists, tables, code, links, footnotes,
// emphasis) in the same proportions as a newsletter. The same count gives the same files.

import Foundation

enum BilingualCorpus {
    /// Writes `count` posts into `folder` (which must exist): every other one a copy of a
    /// sample post, the others Chinese. Returns their paths.
    static func write(count: Int, from samples: [[UInt8]], into folder: URL) throws -> [String] {
        var paths: [String] = []
        var random = SplitMix(seed: 2019)
        for index in 0..<count {
            let path = folder.appendingPathComponent(String(format: "post-%05d.md", index)).path
            let bytes: [UInt8] = index % 2 == 0 && !samples.isEmpty
                ? samples[(index / 2) % samples.count]
                : Array(chinesePost(number: index, random: &random).utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return paths
    }

    /// One post of `paragraphs`-many sections, about 10 KB like the sample posts.
    static func chinesePost(number: Int, random: inout SplitMix, sections: Int = 6) -> String {
        let month = number % 12 + 1
        let year = 2019 + number / 12 % 6
        var text = """
            ---
            title: "\(random.pick(titles))（第 \(number) 期）"
            date: \(year)-\(String(format: "%02d", month))-\(String(format: "%02d", number % 28 + 1))
            author: \(random.pick(authors))
            tags: [社区, \(random.pick(tags))]
            lang: zh
            ---

            \(paragraph(&random))


            """
        for section in 0..<sections {
            text += "## \(random.pick(headings))\n\n"
            text += paragraph(&random) + "\n\n"
            switch section % 4 {
            case 0:
                for item in 0..<4 {
                    text += "- \(random.pick(sentences))\n"
                    if item == 1 {
                        text += "  - \(random.pick(sentences))\n  - 详见 [讨论记录](https://github.com/tikv/tikv/issues/\(1000 + number))。\n"
                    }
                }
                text += "\n"
            case 1:
                text += "| 模块 | 变更 | 负责人 |\n|:---|:---|---:|\n"
                for _ in 0..<4 {
                    text += "| \(random.pick(modules)) | \(random.pick(changes)) | \(random.pick(authors)) |\n"
                }
                text += "\n"
            case 2:
                text += "```rust\nfn main() {\n    let store = Store::open(\"/data/tikv\")?;\n    store.put(b\"键\", b\"值\")?;\n}\n```\n\n"
            default:
                text += "1. \(random.pick(sentences))[^\(section)]\n2. \(random.pick(sentences))\n\n[^\(section)]: \(random.pick(sentences))\n\n"
            }
            text += paragraph(&random) + "\n\n"
        }
        text += "感谢所有贡献者！欢迎加入 [社区论坛](https://forum.tikv.org/) 参与讨论。\n"
        return text
    }

    static func paragraph(_ random: inout SplitMix) -> String {
        var text = ""
        for index in 0..<(4 + random.next(4)) {
            var sentence = random.pick(sentences)
            switch index % 5 {
            case 1: sentence = sentence.replacingOccurrences(of: "，", with: "，**\(random.pick(modules))** ", options: [], range: sentence.range(of: "，"))
            case 3: sentence += "参见 `\(random.pick(["raftstore", "pd-client", "txn", "coprocessor"]))` 模块的 [说明文档](https://tikv.org/docs/\(random.next(9))/)。"
            default: break
            }
            text += sentence
        }
        return text
    }

    static let titles = ["本月 TiKV 社区动态", "TiKV 发布说明", "分布式事务的新进展", "社区贡献者访谈", "性能优化回顾", "存储引擎深度解析"]
    static let authors = ["张伟", "李娜", "王芳", "刘洋", "陈静", "杨磊", "赵敏"]
    static let tags = ["发布", "性能", "事务", "存储", "Raft"]
    static let headings = ["新功能", "问题修复", "性能改进", "社区活动", "新的贡献者", "下一步计划", "文档更新", "致谢"]
    static let modules = ["Raftstore", "PD", "事务层", "协处理器", "RocksDB", "Titan", "客户端"]
    static let changes = ["修复了快照发送时的内存泄漏", "提高了批量写入的吞吐量", "新增区域合并的监控指标", "减少了选举超时后的抖动", "支持异步提交"]
    static let sentences = [
        "本月我们合并了一百多个拉取请求，感谢每一位贡献者的辛勤付出。",
        "新版本改进了 Raft 日志的复制方式，在高负载下延迟降低了约三成。",
        "社区成员在周会上讨论了分布式事务的下一步设计，会议记录已经公开。",
        "我们修复了一个在节点重启时可能导致数据不一致的问题，建议所有用户尽快升级。",
        "文档网站进行了改版，新的入门指南覆盖了从安装到监控的完整流程。",
        "感谢来自五个国家的新贡献者，他们的第一个补丁已经进入主分支。",
        "存储引擎的压缩策略经过调整，磁盘空间占用明显下降。",
        "在最新的基准测试中，读取吞吐量比上一个版本提高了两倍。",
        "调度器现在会考虑热点区域的分布，从而更均匀地分配负载。",
        "如果你在使用过程中遇到问题，欢迎在论坛或者聊天频道里提问。",
        "我们计划在下个季度发布新的客户端库，并提供更完善的示例代码。",
        "这次更新还包括对监控面板的多项改进，运维人员可以更快地定位问题。",
        "项目的持续集成流水线迁移到了新的机器上，构建时间缩短了一半。",
        "安全审计报告已经发布，所有发现的问题都已在新版本中修复。",
        "线下技术交流会将在杭州和北京举行，欢迎大家报名参加。",
        "导师计划的学员完成了区域分裂算法的重构，代码质量有了很大提升。",
    ]
}

/// A small deterministic random source: the same seed gives the same corpus on every machine.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ choices: [T]) -> T { choices[next(choices.count)] }
}
